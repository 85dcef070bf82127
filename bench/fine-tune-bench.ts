/**
 * A partial fine-tune as Graft runs it against PyTorch doing the same plan the usual way.
 * MobileNetV2 at 224×224 (bundled weights), N generated images split 60/20/20, the last
 * inverted-residual block (`block_16`), the final 1×1 convolution and the head trainable,
 * Adam, batch 32, EPOCHS epochs, validation after every epoch. Graft computes the frozen
 * prefix once per image (the activation cache) and trains the suffix; PyTorch (torchvision
 * `mobilenet_v2`, 2 threads, channels_last, glibc malloc thresholds raised) runs the frozen
 * layers under `no_grad` on every batch, the usual way — a DataLoader decoding the images
 * each epoch in the loop (a loader process beside 2 threads on 2 cores was twice as slow
 * here) — and with every image decoded once before timing (the strictest reference: no
 * loader cost at all). Also a head-only run. Prints wall time, training images/s and the
 * engine's peak RSS for each, and both ratios (target ≥ 2×). Graft's wall includes
 * decoding. Each Graft run uses a fresh engine process so its peak RSS is its own.
 *
 * With --rounds R, Graft's partial run and both PyTorch runs take turns R times and the ratios
 * use each one's fastest run (the machine's speed drifts; turns expose each side to it alike).
 *
 *   npx tsx bench/fine-tune-bench.ts [N=500] [EPOCHS=10] [--rounds 1] [--backend cpu|@tensorflow/tfjs-backend-wasm] [--threads 2 (PyTorch)]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatasetSnapshot, FreezePlan, TrainingConfig, TrainResult } from '../src-main/api/types/runs';
import { nodeEngineSpawner } from '../src-main/cli/app-paths';
import { EngineClient } from '../src-main/engine/host/engine-client';
import { writeSeparableDataset } from '../src-main/engine/training/test-support/separable-images';
import { childPeakRssMb } from './child-peak-rss';
import { loadAverage } from './load-average';
import { TORCH_MISSING, torchEnv, torchPython } from './torch-python';
import { headOnlyConfig } from '../src-main/api/test-support/training-config';

const TORCH_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'torch-fine-tune.py');

function argValue(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** Positional numbers: arguments that are neither a --flag nor a flag's value. */
const numbers = process.argv
  .slice(2)
  .filter((a, i, all) => /^\d+$/.test(a) && !(all[i - 1]?.startsWith('--') ?? false))
  .map(Number);
const count = numbers[0] ?? 500;
const epochs = numbers[1] ?? 10;
const threads = Number(argValue('--threads') ?? 2);
const rounds = Number(argValue('--rounds') ?? 1);
const PARTIAL: FreezePlan = { kind: 'from', block: 'block_16' };

function config(freeze: FreezePlan): TrainingConfig {
  return headOnlyConfig({
    base: { arch: 'mobilenet_v2', weights: 'bundled', inputSize: 224 },
    freeze,
    optimizer: { name: 'adam', learningRate: freeze.kind === 'head-only' ? 1e-3 : 1e-4 },
    epochs,
    batchSize: 32,
    seed: 42,
  });
}

interface Figures {
  wall: number;
  imagesPerSecond: number;
  peakRssMb: number | null;
  valAcc: number | null;
}

/** One Graft run in its own engine process: wall time from the request to the result, everything included. */
async function graftRun(tmp: string, name: string, dataset: DatasetSnapshot, freeze: FreezePlan, backend: string | undefined): Promise<Figures & { result: TrainResult }> {
  const env = backend ? { ...process.env, GRAFT_BACKEND: backend } : process.env;
  const engine = new EngineClient(nodeEngineSpawner(env));
  try {
    await engine.start();
    const started = performance.now();
    // When each phase began, to print where the wall time goes.
    const phases: string[] = [];
    const result = await engine.request(
      'train',
      {
        runDir: path.join(tmp, name),
        activationCacheDir: path.join(tmp, `activations-${name}`),
        config: config(freeze),
        dataset,
        resume: false,
      },
      {
        onEvent: (event) => {
          if (event.type === 'cache' && event.done === event.total && event.total > 0) phases.push(`${((performance.now() - started) / 1000).toFixed(1)} s cache filled (${event.perSecond.toFixed(0)} images/s)`);
          if (event.type === 'phase') phases.push(`${((performance.now() - started) / 1000).toFixed(1)} s ${event.phase}${event.stage ? ` (${event.stage})` : ''}${event.stepRuntime ? ` steps on ${event.stepRuntime}` : ''}`);
        },
      },
    );
    console.log(`  ${name}: ${phases.join(' → ')} → ${((performance.now() - started) / 1000).toFixed(1)} s done`);
    const wall = (performance.now() - started) / 1000;
    const trainImages = dataset.images.filter((i) => i.split === 'train').length;
    const trainingSeconds = result.history.reduce((sum, h) => sum + h.seconds, 0);
    return { result, wall, imagesPerSecond: (trainImages * epochs) / trainingSeconds, peakRssMb: childPeakRssMb(), valAcc: result.history.at(-1)?.valAcc ?? null };
  } finally {
    await engine.dispose();
  }
}

/** How the PyTorch reference gets its pixels: decoded once before timing, or by a DataLoader each epoch with `workers` loader processes. */
type TorchDecode = { decode: 'once' } | { decode: 'each-epoch'; workers: number };

function torchRun(python: string, manifest: string, how: TorchDecode): Figures & { trainImages: number } {
  const decode = how.decode === 'once' ? ['--decode', 'once'] : ['--decode', 'each-epoch', '--workers', String(how.workers)];
  const out = spawnSync(python, [TORCH_SCRIPT, manifest, '--epochs', String(epochs), '--batch', '32', '--threads', String(threads), ...decode], { encoding: 'utf8', env: torchEnv() });
  if (out.status !== 0) throw new Error(`PyTorch reference failed: ${out.stderr}`);
  const figures = JSON.parse(out.stdout.trim().split('\n').at(-1)!) as { seconds: number; train_images: number; peak_rss_mb: number; final_val_acc: number };
  return { wall: figures.seconds, imagesPerSecond: (figures.train_images * epochs) / figures.seconds, peakRssMb: figures.peak_rss_mb, valAcc: figures.final_val_acc, trainImages: figures.train_images };
}

function line(label: string, f: Figures): string {
  const rss = f.peakRssMb === null ? 'n/a' : `${f.peakRssMb.toFixed(0)} MB`;
  return `${label.padEnd(44)} ${f.wall.toFixed(1).padStart(7)} s wall, ${f.imagesPerSecond.toFixed(1).padStart(7)} training images/s, peak RSS ${rss}, val acc ${f.valAcc?.toFixed(3) ?? 'n/a'}`;
}

async function main(): Promise<void> {
  const backend = argValue('--backend');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-fine-tune-bench-'));
  try {
    const dataset = await writeSeparableDataset(path.join(tmp, 'images'), { classes: 2, perClass: Math.ceil(count / 2), size: 224 });
    const manifest = path.join(tmp, 'dataset.json');
    fs.writeFileSync(manifest, JSON.stringify(dataset));
    console.log(`${dataset.images.length} images 224×224 (60/20/20), MobileNetV2, batch 32, ${epochs} epochs, ${threads} threads; ${os.availableParallelism()} CPUs; load ${loadAverage()}`);
    const python = torchPython();
    const fastest = <T extends Figures>(runs: T[]): T => runs.reduce((a, b) => (b.wall < a.wall ? b : a));
    const partials: (Figures & { result: TrainResult })[] = [];
    const inlines: Figures[] = [];
    const onces: Figures[] = [];
    for (let round = 1; round <= rounds; round++) {
      const tag = rounds > 1 ? ` (round ${round})` : '';
      const partial = await graftRun(tmp, `partial-${round}`, dataset, PARTIAL, backend);
      partials.push(partial);
      if (round === 1) console.log(`backend ${partial.result.backend}, frozen prefix on ${partial.result.runtime}, training steps on ${partial.result.stepRuntime}; cache ${partial.result.cache.misses} computed, ${partial.result.cache.hits} reused`);
      console.log(line(`Graft, block_16 + Conv_1 + head${tag}`, partial));
      if (!python) continue;
      inlines.push(torchRun(python, manifest, { decode: 'each-epoch', workers: 0 }));
      console.log(line(`PyTorch, decoding in the loop${tag}`, inlines.at(-1)!));
      onces.push(torchRun(python, manifest, { decode: 'once' }));
      console.log(line(`PyTorch, decoded before timing${tag}`, onces.at(-1)!));
    }
    const headOnly = await graftRun(tmp, 'head-only', dataset, { kind: 'head-only' }, backend);
    console.log(line('Graft, head only', headOnly));
    if (!python) {
      console.log(`PyTorch: ${TORCH_MISSING}`);
      return;
    }
    const [graft, inline, once] = [fastest(partials), fastest(inlines), fastest(onces)];
    const of = rounds > 1 ? ` (fastest of ${rounds} runs each: ${graft.wall.toFixed(1)} s, ${inline.wall.toFixed(1)} s, ${once.wall.toFixed(1)} s)` : '';
    console.log(`ratio: Graft's partial fine-tune ${(inline.wall / graft.wall).toFixed(2)}× faster than PyTorch the usual way (a DataLoader decoding in the loop; target ≥ 2×)${of}`);
    console.log(`ratio: ${(once.wall / graft.wall).toFixed(2)}× faster than PyTorch with every image decoded before timing (its wall excludes decoding, Graft's includes it)`);
    console.log(`load after: ${loadAverage()}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

void main();
