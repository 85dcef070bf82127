import * as tf from '@tensorflow/tfjs';
import type { SymbolicTensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkSmall, graphOps, randomizeBatchNorms, smallModel } from '../test-support/parity';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const apply = (layer: { apply(x: SymbolicTensor | SymbolicTensor[]): unknown }, x: SymbolicTensor | SymbolicTensor[]) => layer.apply(x) as SymbolicTensor;
const TOLERANCE = 1e-4;

describe('Conv2D', () => {
  it.each([
    { size: [7, 7], kernel: 3, strides: 2, padding: 'same' },
    { size: [8, 8], kernel: 3, strides: 2, padding: 'same' },
    { size: [9, 6], kernel: 4, strides: 2, padding: 'same' },
    { size: [11, 11], kernel: 5, strides: 3, padding: 'same' },
    { size: [9, 9], kernel: [1, 7], strides: 1, padding: 'same' },
    { size: [9, 8], kernel: 3, strides: 2, padding: 'valid' },
    { size: [10, 10], kernel: 3, strides: 1, padding: 'same', dilationRate: 2 },
  ] as const)('$size.0×$size.1, kernel $kernel, stride $strides, $padding', async ({ size, kernel, strides, padding, ...rest }) => {
    const model = smallModel([size[0], size[1], 3], (x) =>
      apply(tf.layers.conv2d({ filters: 5, kernelSize: kernel as number | number[], strides, padding, name: 'conv', ...rest }), x),
    );
    const expected = model.outputs[0]!.shape;
    const parity = await checkSmall(model);
    expect(parity.graph.outputShapes[0]).toEqual(expected.slice(1));
    expect(parity.maxDiff[0]).toBeLessThan(TOLERANCE);
  });

  it('without bias and with a fused activation', async () => {
    const model = smallModel([9, 9, 4], (x) => apply(tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'same', useBias: false, activation: 'relu6' }), x));
    const parity = await checkSmall(model);
    expect(graphOps(parity.graph.bytes)).toEqual(['Transpose', 'Conv', 'Clip', 'Transpose']);
    expect(parity.maxDiff[0]).toBeLessThan(TOLERANCE);
  });
});

describe('DepthwiseConv2D', () => {
  it.each([
    { size: 9, strides: 2, padding: 'same', depthMultiplier: 1, useBias: false },
    { size: 8, strides: 2, padding: 'same', depthMultiplier: 2, useBias: true },
    { size: 7, strides: 1, padding: 'valid', depthMultiplier: 3, useBias: true },
  ] as const)('$size×$size stride $strides $padding, multiplier $depthMultiplier', async ({ size, ...options }) => {
    const model = smallModel([size, size, 4], (x) => apply(tf.layers.depthwiseConv2d({ kernelSize: 3, ...options }), x));
    const parity = await checkSmall(model);
    expect(parity.maxDiff[0]).toBeLessThan(TOLERANCE);
  });
});

describe('ZeroPadding2D', () => {
  it('is taken into the next convolution’s pads (MobileNetV2 pattern, asymmetric)', async () => {
    const model = smallModel([8, 8, 3], (x) => {
      const padded = apply(tf.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]] }), x);
      return apply(tf.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'valid' }), padded);
    });
    const parity = await checkSmall(model);
    expect(graphOps(parity.graph.bytes)).not.toContain('Pad');
    expect(parity.maxDiff[0]).toBeLessThan(TOLERANCE);
  });

  it('becomes a Pad node before pooling, and when it is itself an output', async () => {
    const model = smallModel([7, 7, 3], (x) => {
      const padded = apply(tf.layers.zeroPadding2d({ padding: [[1, 2], [3, 0]], name: 'pad' }), x);
      return apply(tf.layers.maxPooling2d({ poolSize: 3, strides: 2, name: 'pool' }), padded);
    });
    const parity = await checkSmall(model, ['pad', 'pool']);
    expect(graphOps(parity.graph.bytes).filter((op) => op === 'Pad')).toHaveLength(1);
    expect(parity.graph.outputShapes).toEqual([
      [10, 10, 3],
      [4, 4, 3],
    ]);
    expect(Math.max(...parity.maxDiff)).toBeLessThan(TOLERANCE);
  });
});

describe('BatchNormalization', () => {
  it('folds into the convolution before it', async () => {
    const model = smallModel([9, 9, 3], (x) => {
      const conv = apply(tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', useBias: false }), x);
      return apply(tf.layers.batchNormalization({ epsilon: 1e-3 }), conv);
    });
    randomizeBatchNorms(model);
    const parity = await checkSmall(model);
    expect(graphOps(parity.graph.bytes)).toEqual(['Transpose', 'Conv', 'Transpose']);
    expect(parity.maxDiff[0]).toBeLessThan(TOLERANCE);
  });

  it('folds into a depthwise convolution with a bias and a depth multiplier', async () => {
    const model = smallModel([8, 8, 3], (x) => {
      const conv = apply(tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }), x);
      return apply(tf.layers.batchNormalization({ epsilon: 1.001e-5 }), conv);
    });
    randomizeBatchNorms(model);
    const parity = await checkSmall(model);
    expect(graphOps(parity.graph.bytes)).not.toContain('BatchNormalization');
    expect(parity.maxDiff[0]).toBeLessThan(TOLERANCE);
  });

  it('stays an op when the convolution output is also read elsewhere, or an activation is in between', async () => {
    const model = smallModel([6, 6, 3], (x) => {
      const conv = apply(tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'conv' }), x);
      const bn = apply(tf.layers.batchNormalization({}), conv);
      const relu = apply(tf.layers.conv2d({ filters: 4, kernelSize: 1, activation: 'relu' }), x);
      const bn2 = apply(tf.layers.batchNormalization({}), relu);
      return apply(tf.layers.add({}), [apply(tf.layers.add({}), [bn, conv]), bn2]);
    });
    randomizeBatchNorms(model);
    const parity = await checkSmall(model);
    expect(graphOps(parity.graph.bytes).filter((op) => op === 'BatchNormalization')).toHaveLength(2);
    expect(parity.maxDiff[0]).toBeLessThan(TOLERANCE);
  });

  it('is not folded into a convolution that is a requested output', async () => {
    const model = smallModel([6, 6, 3], (x) => {
      const conv = apply(tf.layers.conv2d({ filters: 4, kernelSize: 3, name: 'conv' }), x);
      return apply(tf.layers.batchNormalization({ name: 'bn' }), conv);
    });
    randomizeBatchNorms(model);
    const parity = await checkSmall(model, ['conv', 'bn']);
    expect(graphOps(parity.graph.bytes)).toContain('BatchNormalization');
    expect(Math.max(...parity.maxDiff)).toBeLessThan(TOLERANCE);
  });

  it('works on a Dense output and without gamma/beta', async () => {
    const model = smallModel([10], (x) => {
      const dense = apply(tf.layers.dense({ units: 6 }), x);
      return apply(tf.layers.batchNormalization({ center: false, scale: false }), dense);
    });
    randomizeBatchNorms(model);
    const parity = await checkSmall(model);
    expect(parity.maxDiff[0]).toBeLessThan(TOLERANCE);
  });
});
