import { describe, expect, it } from 'vitest';
import { kerasPads, samePadding } from './padding';

describe('TensorFlow same padding', () => {
  it('puts the odd pixel after, as TensorFlow does', () => {
    // 8 wide, 3×3, stride 2: out 4, needs (4−1)·2 + 3 − 8 = 1 → 0 before, 1 after.
    expect(samePadding(8, 3, 2)).toEqual([0, 1]);
    // 7 wide, 3×3, stride 2: out 4, needs (4−1)·2 + 3 − 7 = 2 → 1 and 1.
    expect(samePadding(7, 3, 2)).toEqual([1, 1]);
    expect(samePadding(224, 7, 2)).toEqual([2, 3]);
    expect(samePadding(9, 2, 2)).toEqual([0, 1]);
    expect(samePadding(5, 1, 2)).toEqual([0, 0]);
  });

  it('counts dilation in the effective kernel and never pads negatively', () => {
    expect(samePadding(10, 3, 1, 2)).toEqual([2, 2]);
    expect(samePadding(9, 1, 3)).toEqual([0, 0]);
    expect(samePadding(4, 3, 4)).toEqual([0, 0]);
  });

  it('gives ONNX order top, left, bottom, right; valid gives none', () => {
    expect(kerasPads('same', [8, 7], [3, 3], [2, 2])).toEqual([0, 1, 1, 1]);
    expect(kerasPads('valid', [8, 7], [3, 3], [2, 2])).toEqual([0, 0, 0, 0]);
    expect(kerasPads('same', [9, 9], [1, 7], [1, 1])).toEqual([0, 3, 0, 3]);
  });
});
