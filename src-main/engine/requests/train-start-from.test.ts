import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunInit } from '../../api/types/predict';
import type { DatasetSnapshot, TrainingConfig } from '../../api/types/runs';
import type { Tf } from '../backend';
import { loadCheckpoint } from '../training/checkpoint';
import { startRunFrom } from '../training/start-from';
import { writeSeparableDataset } from '../training/test-support/separable-images';
import { epochsOf, smallConfig, testContext, trainTempDir } from '../training/test-support/train-fixtures';
import { buildTrainingBase } from '../training/training-base';
import { buildTrainingModel } from '../training/training-model';
import { runTrain } from './train';

const tmp = trainTempDir();
const T = tf as unknown as Tf;
let two: DatasetSnapshot;
const config = smallConfig({ epochs: 6, optimizer: { name: 'adam', learningRate: 0.01 } });
let init: RunInit;

beforeAll(async () => {
  await tf.setBackend('cpu');
  two = await writeSeparableDataset(`${tmp.dir}/two`, { classes: 2, perClass: 10, size: 40 });
  await runTrain(tmp.params('first', config, two), testContext());
  init = { source: { kind: 'checkpoint', runDir: path.join(tmp.dir, 'first'), checkpoint: 'best', config, classes: two.classes }, classes: two.classes, label: "run 1's best checkpoint" };
}, 120_000);
afterAll(() => tmp.cleanup());

/** A fresh model for a run of `classes` with the config's base and head. */
async function freshModel(runConfig: TrainingConfig, classes: number): Promise<tf.LayersModel> {
  const base = await buildTrainingBase(T, runConfig.base);
  return buildTrainingModel(T, base.model, runConfig.head, classes, 99) as unknown as tf.LayersModel;
}

const values = (layer: tf.layers.Layer) => layer.getWeights().map((w) => Array.from(w.dataSync()));

describe('starting a run from a trained model', () => {
  it('takes the base and the classifier class by class (by name, in any order); a new class starts afresh', async () => {
    const { model: trained } = await loadCheckpoint(T, path.join(tmp.dir, 'first'), 'best');
    const model = await freshModel(config, 3);
    const freshKernel = model.getLayer('predictions').getWeights()[0]!.arraySync() as number[][];
    // The new run lists the classes in another order, with one more.
    const started = await startRunFrom(T, model as never, init, config, ['class1', 'class0', 'class2']);
    expect(started).toMatchObject({ classesCarried: 2, newClasses: ['class2'], freshLayers: [] });
    expect(started.message).toMatch(/^Starting from run 1's best checkpoint: \d+ layers' weights; the classifier for 2 of 3 classes; new: class2\.$/);
    expect(values(model.getLayer('Conv_1'))).toEqual(values(trained.getLayer('Conv_1') as never));
    const kernel = model.getLayer('predictions').getWeights()[0]!.arraySync() as number[][];
    const bias = Array.from(model.getLayer('predictions').getWeights()[1]!.dataSync());
    const trainedKernel = trained.getLayer('predictions').getWeights()[0]!.arraySync() as number[][];
    const trainedBias = Array.from(trained.getLayer('predictions').getWeights()[1]!.dataSync());
    expect(kernel.map((row) => row[0])).toEqual(trainedKernel.map((row) => row[1]));
    expect(kernel.map((row) => row[1])).toEqual(trainedKernel.map((row) => row[0]));
    expect(kernel.map((row) => row[2])).toEqual(freshKernel.map((row) => row[2]));
    expect([bias[0], bias[1]]).toEqual([trainedBias[1], trainedBias[0]]);
    model.dispose();
    trained.dispose();
  });

  it('a run started from a trained model begins where that one ended: a far lower first loss than from the base', async () => {
    const oneEpoch = smallConfig({ epochs: 1, optimizer: { name: 'adam', learningRate: 0.01 } });
    const events: unknown[] = [];
    const continued = await runTrain({ ...tmp.params('continued', { ...oneEpoch, startFrom: { kind: 'run', runId: 1, checkpoint: 'best' } }, two), init }, testContext(events));
    const fresh = await runTrain(tmp.params('fresh', oneEpoch, two), testContext());
    expect((events as { type: string; message?: string }[]).some((e) => e.type === 'phase' && /^Starting from run 1's best checkpoint/.test(e.message ?? ''))).toBe(true);
    expect(epochsOf(events)).toHaveLength(1);
    expect(continued.history[0]!.loss).toBeLessThan(fresh.history[0]!.loss * 0.7);
  }, 120_000);

  it('refuses a model trained on differently prepared inputs, and another architecture', async () => {
    const tfMode = smallConfig({ base: { arch: 'mobilenet_v2', weights: 'none', inputSize: 32 } });
    const model = await freshModel(tfMode, 2);
    await expect(startRunFrom(T, model as never, init, tfMode, two.classes)).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringMatching(/trained on inputs prepared as "unit", but this run prepares them as "tf"\. Choose the bundled weights/),
    });
    model.dispose();
    const vgg = smallConfig({ base: { arch: 'vgg16', weights: 'none', inputSize: 32 } });
    const other = await freshModel(vgg, 2);
    const unitInit: RunInit = { ...init, source: { ...init.source, config: { ...config } } as RunInit['source'] };
    // Same preprocessing asked of the VGG16 run as the checkpoint's, so the architecture is what differs.
    await expect(startRunFrom(T, other as never, unitInit, { ...vgg, base: { ...vgg.base, weights: 'bundled' } }, two.classes)).rejects.toMatchObject({
      message: expect.stringMatching(/does not fit this run's base: \d+ of its layers \(block1_conv1, block1_conv2, block2_conv1, …\) are missing or shaped differently\. Choose the architecture it was trained on\./),
    });
    other.dispose();
  }, 120_000);

  it('refuses an ONNX file: it predicts but cannot train further', async () => {
    const file = path.join(tmp.dir, 'model.onnx');
    fs.writeFileSync(file, Buffer.from([8, 7]));
    const model = await freshModel(config, 2);
    const onnx: RunInit = { source: { kind: 'file', path: file }, classes: two.classes, label: 'model.onnx' };
    await expect(startRunFrom(T, model as never, onnx, config, two.classes)).rejects.toMatchObject({ message: expect.stringMatching(/ONNX model: Graft can predict with it but not train it further/) });
    model.dispose();
  });
});
