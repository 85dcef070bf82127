import * as tf from '@tensorflow/tfjs';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2dFilterGrad, conv2dInputGrad, depthwiseFilterGrad, depthwiseFilterGradByTaps, depthwiseInputGrad, isPlainConv } from './conv-gradients';
import { gradientsOf, relativeDifference, seededValues, useBackend } from './test-support/tf-backends';

// The compositions are checked against tfjs's own cpu kernels (reached through tf.grads) on
// odd sizes, both paddings and strides 1 and 2.

beforeAll(async () => {
  await useBackend('cpu');
});

type Pad = 'same' | 'valid';
interface Case {
  x: [number, number, number, number];
  k: [number, number];
  out: number;
  stride: number | [number, number];
  pad: Pad;
}

const CONV_CASES: Case[] = [];
for (const k of [[1, 1], [3, 3], [5, 5], [1, 7], [7, 1]] as [number, number][]) {
  for (const stride of [1, 2, [2, 1]] as (number | [number, number])[]) {
    for (const pad of ['same', 'valid'] as Pad[]) CONV_CASES.push({ x: [2, 9, 11, 3], k, out: 4, stride, pad });
  }
}

function values(shape: number[], seed: number): { shape: number[]; values: Float32Array } {
  return { shape, values: seededValues(shape, seed) };
}

function label(c: Case): string {
  return `${c.k.join('×')} stride ${String(c.stride)} ${c.pad}`;
}

describe('conv2d gradients composed of forward ops', () => {
  it.each(CONV_CASES.map((c) => [label(c), c] as const))('%s', (_, c) => {
    const x = values(c.x, 1);
    const w = values([...c.k, c.x[3], c.out], 2);
    const conv = (xt: Tensor, wt: Tensor) => tf.conv2d(xt as Tensor4D, wt as Tensor4D, c.stride, c.pad);
    const [dxRef, dwRef] = gradientsOf(conv, [x, w]);
    tf.tidy(() => {
      const xt = tf.tensor4d(x.values, c.x);
      const wt = tf.tensor4d(w.values, [c.k[0], c.k[1], c.x[3], c.out]);
      const y = conv(xt, wt);
      const dy = tf.tensor4d(seededValues(y.shape, 99), y.shape as [number, number, number, number]);
      const dw = conv2dFilterGrad(tf, xt, dy, { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape: wt.shape });
      const dx = conv2dInputGrad(tf, dy, wt, { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', inputShape: xt.shape });
      expect(dw.shape).toEqual(wt.shape);
      expect(dx.shape).toEqual(xt.shape);
      expect(relativeDifference(dw.dataSync(), dwRef!)).toBeLessThan(1e-5);
      expect(relativeDifference(dx.dataSync(), dxRef!)).toBeLessThan(1e-5);
    });
  });
});

const DEPTHWISE_CASES: (Case & { multiplier: number })[] = [];
for (const k of [[1, 1], [3, 3], [5, 5]] as [number, number][]) {
  for (const stride of [1, 2] as number[]) {
    for (const pad of ['same', 'valid'] as Pad[]) {
      for (const multiplier of [1, 2]) DEPTHWISE_CASES.push({ x: [2, 9, 7, 5], k, out: 0, stride, pad, multiplier });
    }
  }
}

describe('depthwise conv2d gradients composed of forward ops', () => {
  it.each(DEPTHWISE_CASES.map((c) => [`${label(c)} multiplier ${c.multiplier}`, c] as const))('%s', (_, c) => {
    const x = values(c.x, 3);
    const filterShape: [number, number, number, number] = [c.k[0], c.k[1], c.x[3], c.multiplier];
    const w = values(filterShape, 4);
    const conv = (xt: Tensor, wt: Tensor) => tf.depthwiseConv2d(xt as Tensor4D, wt as Tensor4D, c.stride, c.pad);
    const [dxRef, dwRef] = gradientsOf(conv, [x, w]);
    tf.tidy(() => {
      const xt = tf.tensor4d(x.values, c.x);
      const wt = tf.tensor4d(w.values, filterShape);
      const y = conv(xt, wt);
      const dy = tf.tensor4d(seededValues(y.shape, 99), y.shape as [number, number, number, number]);
      const dw = depthwiseFilterGrad(tf, xt, dy, { strides: c.stride, pad: c.pad, dilations: 1, filterShape });
      const dx = depthwiseInputGrad(tf, dy, wt, { strides: c.stride, pad: c.pad, dilations: 1, inputShape: xt.shape });
      expect(relativeDifference(dw.dataSync(), dwRef!)).toBeLessThan(1e-5);
      expect(relativeDifference(dx.dataSync(), dxRef!)).toBeLessThan(1e-5);
    });
  });
});

describe('depthwise filter gradient tap by tap, on wasm (where it is used)', () => {
  const cases = DEPTHWISE_CASES.filter((c) => c.multiplier === 1);
  it.each(cases.map((c) => [label(c), c] as const))('%s', async (_, c) => {
    const x = values(c.x, 3);
    const filterShape: [number, number, number, number] = [c.k[0], c.k[1], c.x[3], 1];
    const w = values(filterShape, 4);
    const conv = (xt: Tensor, wt: Tensor) => tf.depthwiseConv2d(xt as Tensor4D, wt as Tensor4D, c.stride, c.pad);
    const [, dwRef] = gradientsOf(conv, [x, w]);
    await useBackend('wasm');
    try {
      const dw = tf.tidy(() => {
        const xt = tf.tensor4d(x.values, c.x);
        const y = conv(xt, tf.tensor4d(w.values, filterShape));
        const dy = tf.tensor4d(seededValues(y.shape, 99), y.shape as [number, number, number, number]);
        const grad = depthwiseFilterGradByTaps(tf, xt, dy, { strides: c.stride, pad: c.pad, dilations: 1, filterShape });
        expect(grad.shape).toEqual(filterShape);
        return grad.dataSync() as Float32Array;
      });
      expect(relativeDifference(dw, dwRef!)).toBeLessThan(1e-5);
    } finally {
      await useBackend('cpu');
    }
  });

  it('refuses a channel multiplier other than 1', () => {
    const x = tf.zeros([1, 4, 4, 2]) as Tensor4D;
    const dy = tf.zeros([1, 4, 4, 4]) as Tensor4D;
    expect(() => depthwiseFilterGradByTaps(tf, x, dy, { strides: 1, pad: 'same', dilations: 1, filterShape: [3, 3, 2, 2] })).toThrow(RangeError);
    tf.dispose([x, dy]);
  });
});

describe('isPlainConv', () => {
  it('accepts channels-last undilated convolutions only', () => {
    expect(isPlainConv({ dataFormat: 'NHWC', dilations: 1 })).toBe(true);
    expect(isPlainConv({ dilations: [1, 1] })).toBe(true);
    expect(isPlainConv({ dataFormat: 'NCHW' })).toBe(false);
    expect(isPlainConv({ dilations: [2, 1] })).toBe(false);
  });
});

describe('no leaks', () => {
  it('the compositions free their intermediates', () => {
    const x = tf.tensor4d(seededValues([1, 8, 8, 3], 5), [1, 8, 8, 3]);
    const w = tf.tensor4d(seededValues([3, 3, 3, 2], 6), [3, 3, 3, 2]);
    const dy = tf.tensor4d(seededValues([1, 4, 4, 2], 7), [1, 4, 4, 2]);
    const before = tf.memory().numTensors;
    tf.dispose([
      conv2dFilterGrad(tf, x, dy, { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 2] }),
      conv2dInputGrad(tf, dy, w, { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: [1, 8, 8, 3] }),
    ]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w, dy]);
  });
});
