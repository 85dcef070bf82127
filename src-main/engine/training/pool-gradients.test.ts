import * as tf from '@tensorflow/tfjs';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxPoolGrad } from './pool-gradients';
import { gradientsOf, relativeDifference, seededValues, useBackend } from './test-support/tf-backends';

// Checked against tfjs's cpu kernel (reached through tf.grads), which routes each output's
// gradient to the first maximum of its window.

beforeAll(async () => {
  await useBackend('cpu');
});

const CASES = [
  { k: 2, s: 2, pad: 'valid' },
  { k: 2, s: 2, pad: 'same' },
  { k: 3, s: 2, pad: 'valid' },
  { k: 3, s: 2, pad: 'same' },
  { k: 3, s: 1, pad: 'same' },
  { k: 3, s: 1, pad: 'valid' },
] as const;

function check(shape: [number, number, number, number], k: number, s: number, pad: 'valid' | 'same', values: Float32Array): number {
  const pool = (x: Tensor) => tf.maxPool(x as Tensor4D, k, s, pad);
  const [reference] = gradientsOf(pool, [{ shape, values }]);
  return tf.tidy(() => {
    const x = tf.tensor4d(values, shape);
    const y = pool(x);
    const dy = tf.tensor4d(seededValues(y.shape, 99), y.shape);
    const dx = maxPoolGrad(tf, dy, x, y, { filterSize: k, strides: s, pad });
    expect(dx.shape).toEqual(shape);
    return relativeDifference(dx.dataSync(), reference!);
  });
}

describe('max pooling gradient composed of forward ops', () => {
  it.each(CASES)('$k×$k stride $s $pad, odd sizes (trailing rows unused by valid windows)', ({ k, s, pad }) => {
    const shape: [number, number, number, number] = [2, 8, 11, 3];
    expect(check(shape, k, s, pad, seededValues(shape, 1))).toBeLessThan(1e-6);
  });

  it.each(CASES)('$k×$k stride $s $pad with ties (ReLU zeros): the first maximum takes it all', ({ k, s, pad }) => {
    const shape: [number, number, number, number] = [2, 9, 7, 3];
    const values = seededValues(shape, 2).map((v) => Math.max(0, Math.round(v)));
    expect(check(shape, k, s, pad, values)).toBeLessThan(1e-6);
  });
});
