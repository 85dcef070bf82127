import * as tf from '@tensorflow/tfjs';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GraftError } from '../../api/errors';
import { ARCHITECTURES } from '../../api/model-catalog';
import type { HeadSpec } from '../../api/types/runs';
import { buildModel } from '../models/build-model';
import { graftHead } from './head';
import { seededValues, useBackend } from './test-support/tf-backends';

beforeAll(async () => {
  await useBackend('cpu');
});

let built: LayersModel[] = [];
afterEach(() => {
  for (const m of built) m.dispose();
  built = [];
});

function trunk(): LayersModel {
  const m = buildModel(tf, 'mobilenet_v2', { includeTop: false, inputShape: [96, 96, 3] });
  built.push(m);
  return m;
}

/** A stand-in trunk for tests that only need a 4-D feature map. */
function tinyTrunk(): LayersModel {
  const input = tf.input({ shape: [8, 8, 3] });
  const features = tf.layers.conv2d({ filters: 16, kernelSize: 3 }).apply(input) as tf.SymbolicTensor;
  const m = tf.model({ inputs: input, outputs: features });
  built.push(m);
  return m;
}

const TWO_LAYERS: HeadSpec = { pooling: 'avg', dropout: 0.2, layers: [{ units: 128, dropout: 0.3 }, { units: 64, activation: 'tanh' }] };

describe('graftHead', () => {
  it('names the head layers stably and counts parameters as Keras would', () => {
    const base = trunk();
    const model = graftHead(tf, base, TWO_LAYERS, { classes: 5 });
    const head = model.layers.slice(base.layers.length).map((l) => [l.name, l.getClassName()]);
    expect(head).toEqual([
      ['head_pool', 'GlobalAveragePooling2D'],
      ['head_dropout', 'Dropout'],
      ['head_dense_1', 'Dense'],
      ['head_dropout_1', 'Dropout'],
      ['head_dense_2', 'Dense'],
      ['predictions', 'Dense'],
    ]);
    const headParams = 1280 * 128 + 128 + 128 * 64 + 64 + 64 * 5 + 5;
    expect(model.countParams()).toBe(ARCHITECTURES.mobilenet_v2.params.withoutTop + headParams);
    expect(model.outputs[0]!.shape).toEqual([null, 5]);
    expect((model.getLayer('head_dense_2').getConfig() as { activation: string }).activation).toBe('tanh');
    expect((model.getLayer('predictions').getConfig() as { activation: string }).activation).toBe('softmax');
  });

  it('shares the trunk layers (training the model trains the trunk)', () => {
    const base = trunk();
    const model = graftHead(tf, base, { pooling: 'max', layers: [] }, { classes: 3 });
    expect(model.getLayer('Conv1')).toBe(base.getLayer('Conv1'));
    expect(model.getLayer('head_pool').getClassName()).toBe('GlobalMaxPooling2D');
  });

  it('flatten keeps every position: 3×3×1280 features at 96 pixels', () => {
    const model = graftHead(tf, trunk(), { pooling: 'flatten', layers: [] }, { classes: 4 });
    expect(model.getLayer('head_flatten').outputShape).toEqual([null, 3 * 3 * 1280]);
    expect(model.getLayer('predictions').countParams()).toBe(3 * 3 * 1280 * 4 + 4);
  });

  it('one sigmoid unit for two classes when asked; logits on request', () => {
    const sigmoid = graftHead(tf, trunk(), { pooling: 'avg', layers: [], output: 'sigmoid' }, { classes: 2 });
    expect(sigmoid.outputs[0]!.shape).toEqual([null, 1]);
    expect((sigmoid.getLayer('predictions').getConfig() as { activation: string }).activation).toBe('sigmoid');
    const logits = graftHead(tf, trunk(), { pooling: 'avg', layers: [] }, { classes: 3, logits: true });
    expect((logits.getLayer('predictions').getConfig() as { activation: string }).activation).toBe('linear');
  });

  it('the same seed gives the same initial head; another seed another', () => {
    const weights = (seed: number) => graftHead(tf, tinyTrunk(), TWO_LAYERS, { classes: 5, seed }).getLayer('head_dense_1').getWeights()[0]!.dataSync();
    expect(weights(3)).toEqual(weights(3));
    expect(weights(3)).not.toEqual(weights(4));
  });

  it('dropout draws a new mask on every training call (a seeded tfjs Dropout would not)', () => {
    const model = graftHead(tf, tinyTrunk(), { pooling: 'avg', dropout: 0.5, layers: [] }, { classes: 2 });
    const x = tf.tensor4d(seededValues([2, 8, 8, 3], 1), [2, 8, 8, 3]);
    const dropped = tf.model({ inputs: model.inputs, outputs: model.getLayer('head_dropout').output as tf.SymbolicTensor });
    const a = (dropped.apply(x, { training: true }) as Tensor).dataSync();
    const b = (dropped.apply(x, { training: true }) as Tensor).dataSync();
    expect(a).not.toEqual(b);
    x.dispose();
  });

  it.each([
    [{ pooling: 'avg', layers: [] } as HeadSpec, 1, /at least two classes/],
    [{ pooling: 'avg', layers: [], output: 'sigmoid' } as HeadSpec, 3, /exactly two classes/],
    [{ pooling: 'avg', layers: [{ units: 0 }] } as HeadSpec, 3, /positive whole number of units/],
    [{ pooling: 'avg', layers: [{ units: 8, dropout: 1 }] } as HeadSpec, 3, /below 1/],
    [{ pooling: 'mean', layers: [] } as unknown as HeadSpec, 3, /"avg", "max" or "flatten"/],
  ])('refuses %o with %i classes', (head, classes, message) => {
    expect(() => graftHead(tf, tinyTrunk(), head, { classes })).toThrow(message);
    expect(() => graftHead(tf, tinyTrunk(), head, { classes })).toThrow(GraftError);
  });

  it('refuses a trunk that is already pooled', () => {
    const pooled = buildModel(tf, 'mobilenet_v2', { includeTop: false, pooling: 'avg', inputShape: [96, 96, 3] });
    built.push(pooled);
    expect(() => graftHead(tf, pooled, { pooling: 'avg', layers: [] }, { classes: 2 })).toThrow(/without pooling/);
  });
});
