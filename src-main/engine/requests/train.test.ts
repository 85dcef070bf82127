import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetSnapshot, TrainEvent, TrainingConfig } from '../../api/types/runs';
import { writeSeparableDataset } from '../training/test-support/separable-images';
import { smallConfig, testContext, trainTempDir } from '../training/test-support/train-fixtures';
import { runEvaluate } from './evaluate';
import { runTrain } from './train';

const temp = trainTempDir();
const dir = temp.dir;
let dataset: DatasetSnapshot;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dataset = await writeSeparableDataset(path.join(dir, 'images'), { classes: 2, perClass: 15, size: 48 });
});
afterAll(() => temp.cleanup());

/** A head-only run on the bundled MobileNetV2 at 64 px, eight epochs: small enough for a unit test on the cpu backend. */
function config(over: Partial<TrainingConfig> = {}): TrainingConfig {
  return smallConfig({ base: { arch: 'mobilenet_v2', weights: 'bundled', inputSize: 64 }, epochs: 8, ...over });
}

const params = (run: string, c: TrainingConfig) => temp.params(run, c, dataset);

describe('train', () => {
  it('trains a head on cached activations: loss falls, accuracy is high, checkpoints and evaluations are written, no tensor leaks', async () => {
    const events: TrainEvent[] = [];
    const runDir = path.join(dir, 'run1');
    const before = tf.memory().numTensors;
    const result = await runTrain(params('run1', config()), testContext<'train'>(events));
    expect(tf.memory().numTensors).toBe(before);
    expect(result.status).toBe('completed');
    expect(result.history).toHaveLength(8);
    expect(result.history.at(-1)!.loss).toBeLessThan(result.history[0]!.loss);
    expect(result.history.at(-1)!.valAcc).toBeGreaterThanOrEqual(0.9);
    expect(result.cache).toMatchObject({ hits: 0, misses: 30 });
    expect(result.cache.bytes).toBeGreaterThan(0);
    expect(result.evaluations.map((e) => e.split)).toEqual(['validation', 'test']);
    expect(result.evaluations[1]!.predictions).toHaveLength(6);
    expect(fs.existsSync(path.join(runDir, result.checkpoints.best!, 'model.json'))).toBe(true);
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(8);
    expect(events.find((e) => e.type === 'phase' && e.phase === 'evaluating')).toMatchObject({ message: 'Evaluating the best checkpoint on the cached activations…' });
    const cacheEvents = events.filter((e) => e.type === 'cache');
    expect(cacheEvents.at(-1)).toMatchObject({ done: 30, total: 30, misses: 30 });

    // A second run with the same prefix finds every activation in the cache.
    const again: TrainEvent[] = [];
    await runTrain(params('run2', config({ epochs: 1 })), testContext<'train'>(again));
    expect(again.filter((e) => e.type === 'cache').at(-1)).toMatchObject({ done: 30, total: 30, misses: 0, hits: 30 });

    const evaluation = await runEvaluate(
      { runDir, activationCacheDir: path.join(dir, 'activations'), config: config(), classes: dataset.classes, checkpoint: 'best', split: 'test', images: dataset.images.filter((i) => i.split === 'test') },
      testContext<'evaluate'>(),
    );
    expect(evaluation.report.accuracy).toBe(result.evaluations[1]!.report.accuracy);
    // The run evaluated from its cached prefix outputs; evaluating from the pixels gives the same probabilities.
    const fromPixels = new Map(evaluation.predictions.map((p) => [p.imageId, p.probabilities]));
    for (const p of result.evaluations[1]!.predictions) {
      fromPixels.get(p.imageId)!.forEach((q, k) => expect(Math.abs(q - p.probabilities[k]!)).toBeLessThan(1e-4));
    }
  }, 120_000);
});
