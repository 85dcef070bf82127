/**
 * What the activation cache buys: the same head-only run (MobileNetV2, bundled weights,
 * 224×224, N generated images, batch 32) with the cache — the frozen trunk computed once per
 * image, then every epoch reads it — and without it (the trunk recomputed every epoch), in
 * one engine process. Prints the time to fill the cache, seconds per epoch after the first
 * for both, and their ratio (target ≥ 20×).
 *
 *   npx tsx bench/train-cache-bench.ts [N=500] [EPOCHS=10] [--backend cpu|@tensorflow/tfjs-backend-wasm]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TrainEvent, TrainingConfig } from '../src-main/api/types/runs';
import { nodeEngineSpawner } from '../src-main/cli/app-paths';
import { EngineClient } from '../src-main/engine/host/engine-client';
import { writeSeparableDataset } from '../src-main/engine/training/test-support/separable-images';
import { loadAverage } from './load-average';
import { headOnlyConfig } from '../src-main/api/test-support/training-config';

function argValue(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

const numbers = process.argv.slice(2).filter((a) => /^\d+$/.test(a)).map(Number);
const count = numbers[0] ?? 500;
const epochs = numbers[1] ?? 10;

function config(useCache: boolean, runEpochs: number): TrainingConfig {
  return headOnlyConfig({
    base: { arch: 'mobilenet_v2', weights: 'bundled', inputSize: 224 },
    optimizer: { name: 'adam', learningRate: 0.001 },
    epochs: runEpochs,
    batchSize: 32,
    seed: 42,
    useCache,
  });
}

async function main(): Promise<void> {
  const backend = argValue('--backend');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-train-bench-'));
  const engine = new EngineClient(nodeEngineSpawner(backend ? { ...process.env, GRAFT_BACKEND: backend } : process.env));
  try {
    const dataset = await writeSeparableDataset(path.join(tmp, 'images'), { classes: 2, perClass: Math.ceil(count / 2), size: 224 });
    const hello = await engine.start();
    console.log(`${dataset.images.length} images 224×224, MobileNetV2 bundled, head only, batch 32; ${os.availableParallelism()} CPUs; backend ${hello.backend}; load ${loadAverage()}`);
    const run = async (name: string, useCache: boolean, runEpochs: number) => {
      const events: TrainEvent[] = [];
      const started = performance.now();
      let trainingStarted = 0;
      const result = await engine.request(
        'train',
        { runDir: path.join(tmp, name), activationCacheDir: path.join(tmp, 'activations'), config: config(useCache, runEpochs), dataset, resume: false },
        {
          onEvent: (e) => {
            events.push(e);
            if (e.type === 'phase' && e.phase === 'training') trainingStarted = performance.now();
          },
        },
      );
      const epochSeconds = result.history.map((h) => h.seconds);
      return { result, setup: (trainingStarted - started) / 1000, epochSeconds, total: (performance.now() - started) / 1000 };
    };
    const cached = await run('cached', true, epochs);
    const afterFirst = cached.epochSeconds.slice(1);
    const cachedEpoch = afterFirst.reduce((a, b) => a + b, 0) / Math.max(1, afterFirst.length);
    console.log(`with the cache:    model + cache fill ${cached.setup.toFixed(1)} s (${cached.result.runtime}), ${cachedEpoch.toFixed(3)} s per epoch after the first, ${cached.total.toFixed(1)} s for ${epochs} epochs`);
    const live = await run('live', false, 2);
    const liveEpoch = live.epochSeconds.reduce((a, b) => a + b, 0) / live.epochSeconds.length;
    console.log(`without the cache: ${liveEpoch.toFixed(2)} s per epoch (trunk recomputed every epoch, ${live.result.runtime})`);
    console.log(`ratio: ${(liveEpoch / cachedEpoch).toFixed(1)}× faster per epoch after the first (target ≥ 20×); final val acc ${cached.result.history.at(-1)?.valAcc?.toFixed(3)}`);
    console.log(`load after: ${loadAverage()}`);
  } finally {
    await engine.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

void main();
