import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetSnapshot } from '../../api/types/runs';
import { logisticBaselineAccuracy } from '../training/test-support/logistic-baseline';
import { sklearnPython } from '../training/test-support/sklearn';
import { writeShapesDataset } from '../training/test-support/shapes-dataset';
import { smallConfig, testContext, trainTempDir } from '../training/test-support/train-fixtures';
import type { Tf } from '../backend';
import { runTrain } from './train';

const tmp = trainTempDir();
let dataset: DatasetSnapshot;
const sklearn = sklearnPython();
beforeAll(async () => {
  await tf.setBackend('cpu');
  dataset = await writeShapesDataset(`${tmp.dir}/images`, { classes: 4, perClass: 60, size: 96 });
}, 60_000);
afterAll(() => tmp.cleanup());

describe('training quality', () => {
  it.skipIf(!sklearn.python)(`a head-only run is within 0.03 of a logistic regression on the same features and split (${sklearn.reason})`, async () => {
    const config = smallConfig({
      base: { arch: 'mobilenet_v2', weights: 'bundled', inputSize: 96 },
      optimizer: { name: 'adam', learningRate: 0.003 },
      epochs: 60,
      batchSize: 32,
      runtime: 'auto',
    });
    const result = await runTrain(tmp.params('quality', config, dataset), testContext());
    const ours = result.evaluations.find((e) => e.split === 'test')!.report.accuracy;

    const reference = await logisticBaselineAccuracy(tf as unknown as Tf, config, dataset);
    console.log(`test accuracy: Graft head-only ${ours.toFixed(3)}, scikit-learn logistic regression ${reference.toFixed(3)}`);
    expect(Math.abs(ours - reference)).toBeLessThanOrEqual(0.03 + 1e-9);
  }, 300_000);
});
