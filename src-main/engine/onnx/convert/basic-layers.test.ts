import * as tf from '@tensorflow/tfjs';
import type { SymbolicTensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkSmall, graphOps, smallModel } from '../test-support/parity';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const apply = (layer: { apply(x: SymbolicTensor | SymbolicTensor[]): unknown }, x: SymbolicTensor) => layer.apply(x) as SymbolicTensor;
const TOLERANCE = 1e-4;

describe('Dense and Flatten', () => {
  it('Flatten keeps Keras NHWC order so the Dense after it keeps its weights', async () => {
    const model = smallModel([3, 4, 5], (x) => apply(tf.layers.dense({ units: 7, name: 'fc' }), apply(tf.layers.flatten({ name: 'flat' }), x)));
    const parity = await checkSmall(model, ['flat', 'fc']);
    expect(graphOps(parity.graph.bytes)).toEqual(['Transpose', 'Transpose', 'Flatten', 'Gemm']);
    expect(parity.graph.outputShapes).toEqual([[60], [7]]);
    expect(Math.max(...parity.maxDiff)).toBeLessThan(TOLERANCE);
  });

  it('Flatten of a 1×1 map needs no transpose', async () => {
    const model = smallModel([1, 1, 5], (x) => apply(tf.layers.dense({ units: 3, activation: 'softmax' }), apply(tf.layers.flatten({}), x)));
    const parity = await checkSmall(model);
    expect(graphOps(parity.graph.bytes)).toEqual(['Transpose', 'Flatten', 'Gemm', 'Softmax']);
    expect(parity.maxDiff[0]).toBeLessThan(TOLERANCE);
  });

  it('Dense without bias, and Dense on a feature map (acts on channels)', async () => {
    const model = smallModel([4, 3, 5], (x) => apply(tf.layers.dense({ units: 6, activation: 'tanh' }), x));
    const parity = await checkSmall(model);
    expect(parity.graph.outputShapes).toEqual([[4, 3, 6]]);
    expect(parity.maxDiff[0]).toBeLessThan(TOLERANCE);
    const flat = smallModel([8], (x) => apply(tf.layers.dense({ units: 4, useBias: false, activation: 'sigmoid' }), x));
    expect((await checkSmall(flat)).maxDiff[0]).toBeLessThan(TOLERANCE);
  });
});

describe('activations', () => {
  it.each(['relu', 'relu6', 'softmax', 'sigmoid', 'tanh', 'linear', 'elu', 'selu', 'softplus', 'softsign', 'hardSigmoid', 'swish'] as const)(
    '%s as a layer on a feature map and inside Dense',
    async (activation) => {
      const map = smallModel([3, 3, 4], (x) => apply(tf.layers.activation({ activation }), apply(tf.layers.conv2d({ filters: 4, kernelSize: 1 }), x)));
      expect((await checkSmall(map, undefined, 3)).maxDiff[0]).toBeLessThan(TOLERANCE);
      const dense = smallModel([6], (x) => apply(tf.layers.dense({ units: 5, activation }), x));
      expect((await checkSmall(dense, undefined, 4)).maxDiff[0]).toBeLessThan(TOLERANCE);
    },
  );

  it('ReLU with and without max value, LeakyReLU, Softmax layer on the channel axis', async () => {
    const model = smallModel([4, 4, 3], (x) => {
      const capped = apply(tf.layers.reLU({ maxValue: 0.5, name: 'capped' }), x);
      const plain = apply(tf.layers.reLU({ name: 'plain' }), x);
      const leaky = apply(tf.layers.leakyReLU({ alpha: 0.1, name: 'leaky' }), x);
      const soft = apply(tf.layers.softmax({ axis: -1, name: 'soft' }), x);
      return [capped, plain, leaky, soft];
    });
    const parity = await checkSmall(model);
    expect(graphOps(parity.graph.bytes).slice(1, 5)).toEqual(['Clip', 'Relu', 'LeakyRelu', 'Softmax']);
    expect(Math.max(...parity.maxDiff)).toBeLessThan(TOLERANCE);
  });

  it('Rescaling and Dropout (identity at inference)', async () => {
    const model = smallModel([4, 4, 3], (x) => apply(tf.layers.dropout({ rate: 0.5 }), apply(tf.layers.rescaling({ scale: 1 / 127.5, offset: -1 }), x)));
    const parity = await checkSmall(model);
    expect(graphOps(parity.graph.bytes)).toEqual(['Transpose', 'Mul', 'Add', 'Transpose']);
    expect(parity.maxDiff[0]).toBeLessThan(TOLERANCE);
  });
});
