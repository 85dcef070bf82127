import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { scaleInput, type InputScaling } from './inference-model';
import { scalePixels } from './scale-pixels';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SCALINGS: InputScaling[] = [{ kind: 'unit' }, { kind: 'keras', mode: 'tf' }, { kind: 'keras', mode: 'torch' }, { kind: 'keras', mode: 'caffe' }];

describe('scalePixels', () => {
  it.each(SCALINGS)('equals the tfjs scaling exactly: %j', (scaling) => {
    // Every 0–255 value in every channel position, over 2 images of 16×16.
    const pixels = Uint8Array.from({ length: 2 * 16 * 16 * 3 }, (_, i) => (i * 7 + (i >> 8)) % 256);
    const expected = tf.tidy(() => scaleInput(tf, tf.tensor4d(pixels, [2, 16, 16, 3], 'int32'), scaling).dataSync() as Float32Array);
    expect(scalePixels(pixels, scaling)).toEqual(expected);
  });

  it.each(SCALINGS)('gives bytes (table lookup) the same floats as plain numbers: %j', (scaling) => {
    const bytes = Uint8Array.from({ length: 3 * 256 * 3 }, (_, i) => (i * 5 + (i % 3) * 71 + (i >> 4)) % 256);
    expect(scalePixels(bytes, scaling)).toEqual(scalePixels(Array.from(bytes), scaling));
  });

  it('writes into a slot of a batch buffer, in place over its own input too', () => {
    const batch = new Float32Array(12);
    const slot = batch.subarray(6, 12);
    scalePixels([255, 0, 0, 0, 0, 255], { kind: 'keras', mode: 'caffe' }, slot);
    expect(Array.from(batch.slice(0, 6))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(slot).map((v) => Math.round(v * 1000) / 1000)).toEqual([-103.939, -116.779, 131.32, 151.061, -116.779, -123.68]);
    const own = Float32Array.of(255, 0, 0);
    scalePixels(own, { kind: 'keras', mode: 'caffe' }, own);
    expect(Array.from(own).map((v) => Math.round(v * 1000) / 1000)).toEqual([-103.939, -116.779, 131.32]);
  });

  it('refuses pixels that are not RGB triples or an output of the wrong size', () => {
    expect(() => scalePixels([1, 2], { kind: 'unit' })).toThrow('threes');
    expect(() => scalePixels([1, 2, 3], { kind: 'unit' }, new Float32Array(6))).toThrow('holds 6');
  });
});
