/**
 * Batch prediction end to end, JPEG files → class probabilities: N generated 1024×768 JPEGs
 * through the engine's `predict` request (what `graft predict` and pre-labelling run: sharp
 * decode + resize, preprocessing.json applied, the whole classifier) with a MobileNetV2 224
 * base (bundled weights) and a 5-class head, from a run's checkpoint (converted to ONNX), an
 * ONNX export and a TF.js export (on ONNX Runtime and, on a slice, on TensorFlow.js). Prints
 * the time of each first request (load, convert, open) and images/s. Figures from one run on
 * whatever else the machine is doing, not pass/fail.
 *
 *   npx tsx bench/predict-bench.ts [N=500] [--tfjs-images 64] [--batch 16]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { nodeEngineSpawner } from '../src-main/cli/app-paths';
import { makeBaseJpegs, writePhotoFolder } from '../src-main/core/library/library-fixtures';
import type { Tf } from '../src-main/engine/backend';
import { preprocessingSpec } from '../src-main/engine/export/preprocessing-spec';
import { EngineClient } from '../src-main/engine/host/engine-client';
import { convertToOnnx } from '../src-main/engine/onnx/convert/convert-model';
import { checkpointFolder, saveCheckpoint } from '../src-main/engine/training/checkpoint';
import { smallConfig } from '../src-main/engine/training/test-support/train-fixtures';
import { buildTrainingBase, scalingOf } from '../src-main/engine/training/training-base';
import { buildTrainingModel } from '../src-main/engine/training/training-model';
import type { EngineModelSource } from '../src-main/api/types/predict';
import { loadAverage } from './load-average';

const SIZE = 224;
const CLASSES = ['a', 'b', 'c', 'd', 'e'];

function argValue(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function row(label: string, rate: number, extra = ''): void {
  console.log(`  ${label.padEnd(52)} ${rate.toFixed(1).padStart(7)} images/s${extra}`);
}

/** A run's checkpoint and its TF.js and ONNX exports (with labels.json and preprocessing.json), made in this process. */
async function makeModels(dir: string): Promise<{ runDir: string; tfjs: string; onnx: string; config: ReturnType<typeof smallConfig> }> {
  await tf.setBackend('cpu');
  const config = smallConfig({ base: { arch: 'mobilenet_v2', weights: 'bundled', inputSize: SIZE } });
  const base = await buildTrainingBase(tf as unknown as Tf, config.base);
  const model = buildTrainingModel(tf as unknown as Tf, base.model, config.head, CLASSES.length, 1);
  const runDir = path.join(dir, 'run');
  await saveCheckpoint(tf as unknown as Tf, runDir, 'best', model, null, { epoch: 1, stage: 'head', loop: {} });
  const spec = JSON.stringify(preprocessingSpec(scalingOf(config.base), SIZE));
  const labels = JSON.stringify({ classes: CLASSES });
  const tfjs = path.join(dir, 'export-tfjs');
  const onnx = path.join(dir, 'export-onnx');
  for (const folder of [tfjs, onnx]) {
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'labels.json'), labels);
    fs.writeFileSync(path.join(folder, 'preprocessing.json'), spec);
  }
  for (const file of ['model.json', 'weights.bin']) fs.copyFileSync(path.join(runDir, checkpointFolder('best'), file), path.join(tfjs, file));
  fs.writeFileSync(path.join(onnx, 'model.onnx'), convertToOnnx(model).bytes);
  model.dispose();
  return { runDir, tfjs, onnx, config };
}

async function main(): Promise<void> {
  const count = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 500);
  const tfjsImages = Number(argValue('--tfjs-images') ?? 64);
  const batchSize = Number(argValue('--batch') ?? 16);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-predict-bench-'));
  const engine = new EngineClient(nodeEngineSpawner());
  try {
    console.log(`${count} generated JPEGs 1024×768 → MobileNetV2 ${SIZE}×${SIZE} + 5-class head → probabilities; batch ${batchSize}; ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model ?? 'unknown'})`);
    console.log('Timings are wall-clock on a machine other work may share; rerun before trusting a small difference.');
    console.log(`load average before: ${loadAverage()}`);
    const files = writePhotoFolder(path.join(tmp, 'photos'), await makeBaseJpegs(16, 1024, 768), count);
    const models = await makeModels(tmp);
    const hello = await engine.start();
    console.log(`engine: ${hello.onnx.available ? `onnxruntime-node ${hello.onnx.version}` : `ONNX Runtime unavailable (${hello.onnx.error})`}; tfjs ${hello.tfjsVersion} ${hello.backend}`);
    const sources: [string, EngineModelSource, 'auto' | 'tfjs', number][] = [
      ['checkpoint (converted to ONNX)', { kind: 'checkpoint', runDir: models.runDir, checkpoint: 'best', config: models.config, classes: CLASSES }, 'auto', count],
      ['ONNX export (model.onnx)', { kind: 'file', path: models.onnx }, 'auto', count],
      ['TF.js export (converted to ONNX)', { kind: 'file', path: models.tfjs }, 'auto', count],
      [`TF.js export on TensorFlow.js ${hello.backend} (${tfjsImages} images)`, { kind: 'file', path: models.tfjs }, 'tfjs', Math.min(tfjsImages, count)],
    ];
    for (const [label, model, runtime, n] of sources) {
      let started = performance.now();
      await engine.request('predict', { model, images: files.slice(0, 2), top: 1, runtime, batchSize });
      const first = (performance.now() - started) / 1000;
      started = performance.now();
      const result = await engine.request('predict', { model, images: files.slice(0, n), top: 1, runtime, batchSize });
      const seconds = (performance.now() - started) / 1000;
      row(label, n / seconds, ` (first request of 2 images: ${first.toFixed(2)} s; ${result.runtimeDetails})`);
    }
    console.log(`load average after: ${loadAverage()}`);
  } finally {
    engine.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
