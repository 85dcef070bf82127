import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetSnapshot } from '../../api/types/runs';
import { writeSeparableDataset } from '../training/test-support/separable-images';
import { smallConfig, testContext, trainTempDir } from '../training/test-support/train-fixtures';
import { runLrFind } from './lr-find';

const tmp = trainTempDir();
let dataset: DatasetSnapshot;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dataset = await writeSeparableDataset(`${tmp.dir}/images`, { classes: 2, perClass: 10, size: 40 });
});
afterAll(() => tmp.cleanup());

describe('lrFind', () => {
  it('sweeps rates upwards, records the loss curve, stops when it diverges, and suggests rates inside the sweep', async () => {
    const before = tf.memory().numTensors;
    const events: { done: number; total: number }[] = [];
    const result = await runLrFind(
      { runDir: tmp.dir, activationCacheDir: `${tmp.dir}/activations`, config: smallConfig({ head: { pooling: 'avg', layers: [{ units: 32 }] } }), dataset, finder: { minLr: 1e-5, maxLr: 100, steps: 60 } },
      testContext(events as unknown[]),
    );
    expect(tf.memory().numTensors).toBe(before);
    const lrs = result.points.map((p) => p.lr);
    expect(lrs).toEqual([...lrs].sort((a, b) => a - b));
    expect(lrs[0]).toBeCloseTo(1e-5, 10);
    expect(result.points.length).toBeGreaterThan(10);
    expect(result.points.length).toBeLessThanOrEqual(60);
    expect(events.at(-1)!.done).toBe(result.points.length);
    const { steep, valley, minimumOver10 } = result.suggestion;
    for (const lr of [steep, valley, minimumOver10]) {
      expect(lr).not.toBeNull();
      expect(lr!).toBeGreaterThan(1e-6);
      expect(lr!).toBeLessThan(100);
    }
  }, 120_000);
});
