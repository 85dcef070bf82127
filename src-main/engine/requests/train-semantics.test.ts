import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetSnapshot } from '../../api/types/runs';
import type { Tf } from '../backend';
import { loadCheckpoint } from '../training/checkpoint';
import { buildTrainingBase } from '../training/training-base';
import { buildTrainingModel } from '../training/training-model';
import { writeSeparableDataset } from '../training/test-support/separable-images';
import { epochsOf, smallConfig, smallConfig as baseConfig, testContext, trainTempDir } from '../training/test-support/train-fixtures';
import { runTrain } from './train';

const tmp = trainTempDir();
let dataset: DatasetSnapshot;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dataset = await writeSeparableDataset(`${tmp.dir}/images`, { classes: 2, perClass: 10, size: 40 });
});
afterAll(() => tmp.cleanup());

/** The moving mean and variance of a BatchNormalization layer, as plain numbers. */
async function movingStats(model: tf.LayersModel, name: string): Promise<number[]> {
  const layer = model.getLayer(name);
  const weights = layer.weights.filter((w) => /moving/.test(w.name));
  return (await Promise.all(weights.map(async (w) => Array.from((await w.read().data()) as Float32Array)))).flat();
}

// Each runtime the steps can take: tfjs, and ONNX Runtime (auto picks it for these models).
describe.each(['tfjs', 'auto'] as const)('training semantics, steps on %s', (runtime) => {
  const smallConfig = (over: Parameters<typeof baseConfig>[0] = {}) => baseConfig({ runtime, ...over });
  const steps = runtime === 'auto' ? 'onnx' : 'tfjs';

  it('a frozen BatchNormalization after a trainable layer keeps its moving statistics bit for bit; a trainable one learns its scale but keeps the pretrained statistics', async () => {
    const config = smallConfig({
      freeze: { kind: 'layers', layers: ['block_16_project', 'Conv_1', 'Conv_1_bn'] },
      epochs: 1,
      optimizer: { name: 'sgd', learningRate: 0.05 },
    });
    const base = await buildTrainingBase(tf as unknown as Tf, config.base);
    const initial = buildTrainingModel(tf as unknown as Tf, base.model, config.head, 2);
    const frozenBefore = await movingStats(initial, 'block_16_project_BN');
    const trainableBefore = await movingStats(initial, 'Conv_1_bn');
    const gammaBefore = Array.from((await initial.getLayer('Conv_1_bn').weights[0]!.read().data()) as Float32Array);
    initial.dispose();
    const result = await runTrain(tmp.params(`bn-${runtime}`, config, dataset), testContext());
    expect(result.history).toHaveLength(1);
    expect(result.stepRuntime).toBe(steps);
    const { model } = await loadCheckpoint(tf as unknown as Tf, `${tmp.dir}/bn-${runtime}`, 'last');
    try {
      expect(await movingStats(model, 'block_16_project_BN')).toEqual(frozenBefore);
      expect(await movingStats(model, 'Conv_1_bn')).toEqual(trainableBefore);
      expect(Array.from((await model.getLayer('Conv_1_bn').weights[0]!.read().data()) as Float32Array)).not.toEqual(gammaBefore);
    } finally {
      model.dispose();
    }
  }, 120_000);

  it('the same seed gives the same metrics on the cpu backend', async () => {
    const a = await runTrain(tmp.params(`seed-a-${runtime}`, smallConfig({ epochs: 2 }), dataset), testContext());
    const b = await runTrain(tmp.params(`seed-b-${runtime}`, smallConfig({ epochs: 2 }), dataset), testContext());
    expect(b.stepRuntime).toBe(steps);
    expect(b.history.map((h) => [h.loss, h.acc, h.valLoss])).toEqual(a.history.map((h) => [h.loss, h.acc, h.valLoss]));
  }, 120_000);

  it('cached and uncached runs give the same losses for the same seed', async () => {
    const cached = await runTrain(tmp.params(`cached-${runtime}`, smallConfig(), dataset), testContext());
    const live = await runTrain(tmp.params(`live-${runtime}`, smallConfig({ useCache: false }), dataset), testContext());
    expect(live.cache).toEqual({ hits: 0, misses: 0, bytes: 0 });
    live.history.forEach((h, i) => {
      expect(h.loss).toBeCloseTo(cached.history[i]!.loss, 4);
      expect(h.valLoss!).toBeCloseTo(cached.history[i]!.valLoss!, 4);
    });
  }, 120_000);

  it('stops with a clear message when the loss is not a number', async () => {
    const config = smallConfig({ epochs: 4, optimizer: { name: 'sgd', learningRate: 1e4 }, head: { pooling: 'avg', layers: [{ units: 64, activation: 'linear' }, { units: 64, activation: 'linear' }] } });
    await expect(runTrain(tmp.params(`nan-${runtime}`, config, dataset), testContext())).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringMatching(/loss became (NaN|Infinity).*Lower the learning rate/),
    });
  }, 120_000);
});

describe('training semantics', () => {
  it('trains every layer from scratch (weights none) on a tiny input, straight from the images', async () => {
    const config = smallConfig({ base: { arch: 'mobilenet_v2', weights: 'none', inputSize: 32 }, freeze: { kind: 'all' }, epochs: 2, optimizer: { name: 'adam', learningRate: 0.001 } });
    const events: unknown[] = [];
    const result = await runTrain(tmp.params('scratch', config, dataset), testContext(events));
    expect(result.cache).toEqual({ hits: 0, misses: 0, bytes: 0 });
    const epochs = epochsOf(events);
    expect(epochs).toHaveLength(2);
    expect(Number.isFinite(epochs[1]!.record.loss)).toBe(true);
  }, 180_000);

  it('runs the two-stage recipe: the head, then the unfrozen block at a tenth of the rate', async () => {
    const config = smallConfig({ freeze: { kind: 'blocks', blocks: ['Conv_1'] }, twoStage: { fineTuneEpochs: 1 }, epochs: 1 });
    const events: unknown[] = [];
    const result = await runTrain(tmp.params('two-stage', config, dataset), testContext(events));
    const epochs = epochsOf(events);
    expect(epochs.map((e) => [e.stage, e.record.epoch])).toEqual([
      ['head', 0],
      ['fine-tune', 1],
    ]);
    expect(epochs[1]!.record.lr).toBeCloseTo(0.001, 10);
    expect(result.history).toHaveLength(2);
  }, 180_000);

  it('fine-tunes the last block of InceptionV3, whose BatchNormalization layers have no scale', async () => {
    const config = smallConfig({ base: { arch: 'inception_v3', weights: 'bundled', inputSize: 75 }, freeze: { kind: 'blocks', blocks: ['mixed10'] }, epochs: 1, optimizer: { name: 'adam', learningRate: 0.001 } });
    const events: unknown[] = [];
    await runTrain(tmp.params('inception', config, dataset), testContext(events));
    const losses = epochsOf(events).map((e) => e.record.loss);
    expect(losses).toHaveLength(1);
    expect(losses.every(Number.isFinite)).toBe(true);
  }, 300_000);
});
