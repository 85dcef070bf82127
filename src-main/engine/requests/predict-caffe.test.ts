import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreprocessingSpec } from '../../api/types/export';
import type { DatasetSnapshot, TrainResult } from '../../api/types/runs';
import type { Tf } from '../backend';
import { exportRun } from '../export/export-run';
import { predictContext } from '../predict/test-support/predict-context';
import { writeSeparableDataset } from '../training/test-support/separable-images';
import { smallConfig, testContext, trainTempDir } from '../training/test-support/train-fixtures';
import { runPredict } from './predict';
import { runTrain } from './train';

// A VGG16 run (Keras's caffe preprocessing: BGR, ImageNet means subtracted, no scaling) exported
// as TF.js and as ONNX: predicting from the export applies its preprocessing.json and answers
// as the run's own evaluation did.

const tmp = trainTempDir();
const config = smallConfig({ base: { arch: 'vgg16', weights: 'none', inputSize: 32 }, epochs: 2, optimizer: { name: 'adam', learningRate: 0.001 } });
let dataset: DatasetSnapshot;
let trained: TrainResult;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dataset = await writeSeparableDataset(`${tmp.dir}/images`, { classes: 2, perClass: 10, size: 40 });
  trained = await runTrain(tmp.params('run', config, dataset), testContext());
}, 180_000);
afterAll(() => tmp.cleanup());

describe('predict from a caffe-mode export', () => {
  it.each(['tfjs', 'onnx'] as const)('%s: applies preprocessing.json (caffe) and matches the run\'s evaluation within 1e-4', async (format) => {
    const outDir = path.join(tmp.dir, `out-${format}`);
    await exportRun(
      tf as unknown as Tf,
      {
        runDir: path.join(tmp.dir, 'run'),
        checkpoint: 'best',
        format,
        outDir,
        meta: {
          runId: 1, runName: 'VGG16 caffe', createdAt: '2026-12-03T10:00:00.000Z', appVersion: 'test', checkpoint: 'best', config,
          classes: dataset.classes, counts: { classes: dataset.classes, perClass: [{ train: 6, validation: 2, test: 2 }, { train: 6, validation: 2, test: 2 }] },
          history: [], evaluations: [], backend: 'cpu', runtime: 'tfjs',
        },
        parityImages: dataset.images.filter((i) => i.split === 'test'),
        images: dataset.images,
      },
      null,
      async () => undefined,
    );
    const spec = JSON.parse(fs.readFileSync(path.join(outDir, 'preprocessing.json'), 'utf8')) as PreprocessingSpec;
    expect(spec).toMatchObject({ mode: 'caffe', channelOrder: 'BGR', mean: [103.939, 116.779, 123.68], scale: 1 });
    const held = dataset.images.filter((i) => i.split !== 'train');
    const result = await runPredict({ model: { kind: 'file', path: outDir }, images: held.map((i) => i.path), top: 1 }, predictContext<'predict'>());
    expect(result.model.preprocessing).toEqual(spec);
    const reference = new Map(trained.evaluations.flatMap((e) => e.predictions).map((p) => [p.imageId, p.probabilities]));
    let maxDiff = 0;
    held.forEach((image, i) => {
      const row = result.results[i]!;
      expect(row.path).toBe(image.path);
      const expected = reference.get(image.imageId)!;
      expect(row.top[0]!.classIndex).toBe(expected.indexOf(Math.max(...expected)));
      row.probabilities.forEach((p, c) => (maxDiff = Math.max(maxDiff, Math.abs(p - expected[c]!))));
    });
    expect(maxDiff).toBeLessThanOrEqual(1e-4);
    if (format !== 'onnx') return;
    // The same model fed RGB without the means answers differently: the file's caffe steps are what made it agree.
    const wrong: PreprocessingSpec = { ...spec, channelOrder: 'RGB', mode: 'tf', scale: 1 / 127.5, offset: -1, mean: [0, 0, 0] };
    const other = await runPredict({ model: { kind: 'file', path: outDir, preprocessing: wrong }, images: held.map((i) => i.path), top: 1 }, predictContext<'predict'>());
    const otherDiff = Math.max(...other.results.flatMap((row, i) => row.probabilities.map((p, c) => Math.abs(p - reference.get(held[i]!.imageId)![c]!))));
    expect(otherDiff).toBeGreaterThan(1e-3);
  }, 120_000);
});
