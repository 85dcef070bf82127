/**
 * Is a head-only run as good as it should be? Trains the head of MobileNetV2 (bundled weights)
 * on a generated shapes dataset — the class is the shape, while colour, size, position,
 * rotation, clutter and noise are random — and fits scikit-learn's LogisticRegression on the
 * same pooled features and the same split, for several generated datasets (seeds). Prints both
 * test accuracies and their difference per dataset and on average (the target: Graft no more
 * than 0.03 below the reference; above it is fine).
 *
 *   npx tsx bench/train-quality-bench.ts [CLASSES=5] [PER_CLASS=100] [SIZE=128] [EPOCHS=60] [SEEDS=3]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../src-main/api/types/runs';
import type { Tf } from '../src-main/engine/backend';
import { runTrain } from '../src-main/engine/requests/train';
import { logisticBaselineAccuracy } from '../src-main/engine/training/test-support/logistic-baseline';
import { writeShapesDataset } from '../src-main/engine/training/test-support/shapes-dataset';
import { sklearnPython } from '../src-main/engine/training/test-support/sklearn';
import { smallConfig, testContext } from '../src-main/engine/training/test-support/train-fixtures';
import { installTrainingKernels } from '../src-main/engine/training/wasm-gradients';
import { loadAverage } from './load-average';

const [classes = 5, perClass = 100, size = 128, epochs = 60, seeds = 3] = process.argv.slice(2).filter((a) => /^\d+$/.test(a)).map(Number);

async function main(): Promise<void> {
  const sklearn = sklearnPython();
  if (!sklearn.python) {
    console.log(`reference missing: ${sklearn.reason}`);
    return;
  }
  await import('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend('wasm');
  installTrainingKernels(tf as unknown as Tf);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-quality-bench-'));
  try {
    console.log(`${classes * perClass} shape images ${size}×${size} per dataset, ${classes} classes (60/20/20), MobileNetV2 bundled, head only, ${epochs} epochs; backend ${tf.getBackend()}; ${sklearn.reason}; load ${loadAverage()}`);
    const config: TrainingConfig = smallConfig({
      base: { arch: 'mobilenet_v2', weights: 'bundled', inputSize: size },
      optimizer: { name: 'adam', learningRate: 0.003 },
      epochs,
      batchSize: 32,
      runtime: 'auto',
    });
    const differences: number[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const dir = path.join(tmp, `seed-${seed}`);
      const dataset = await writeShapesDataset(path.join(dir, 'images'), { classes, perClass, size, seed });
      const started = performance.now();
      const result = await runTrain({ runDir: path.join(dir, 'run'), activationCacheDir: path.join(dir, 'activations'), config, dataset, resume: false }, testContext());
      const seconds = (performance.now() - started) / 1000;
      const ours = result.evaluations.find((e) => e.split === 'test')!.report.accuracy;
      const reference = await logisticBaselineAccuracy(tf as unknown as Tf, config, dataset);
      differences.push(ours - reference);
      console.log(`dataset ${seed}: Graft head-only ${ours.toFixed(3)} (${seconds.toFixed(1)} s, prefix on ${result.runtime}), LogisticRegression ${reference.toFixed(3)}, difference ${(ours - reference).toFixed(3)}`);
    }
    const mean = differences.reduce((a, b) => a + b, 0) / differences.length;
    console.log(`mean difference ${mean >= 0 ? '+' : ''}${mean.toFixed(3)}, worst ${Math.min(...differences).toFixed(3)} (target: no worse than −0.03)`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

void main();
