import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GraftError } from '../../api/errors';
import { preprocessInput, preprocessModeOf } from './preprocess';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** One 1×2 RGB image: a (255, 128, 0) pixel and a (10, 20, 30) pixel. */
function image(dtype: 'float32' | 'int32' = 'float32'): tf.Tensor {
  return tf.tensor4d([255, 128, 0, 10, 20, 30], [1, 1, 2, 3], dtype);
}

function run(mode: 'caffe' | 'tf' | 'torch', dtype: 'float32' | 'int32' = 'float32'): number[] {
  const x = image(dtype);
  const y = preprocessInput(tf, x, mode);
  expect(y.shape).toEqual([1, 1, 2, 3]);
  expect(y.dtype).toBe('float32');
  const values = Array.from(y.dataSync());
  tf.dispose([x, y]);
  return values;
}

function expectClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => expect(value, `element ${i}`).toBeCloseTo(expected[i]!, 4));
}

describe('preprocessInput (Keras imagenet_utils numerics)', () => {
  it('caffe: RGB → BGR, minus the BGR means, no scaling', () => {
    expectClose(run('caffe'), [
      0 - 103.939, 128 - 116.779, 255 - 123.68,
      30 - 103.939, 20 - 116.779, 10 - 123.68,
    ]);
  });

  it('tf: x / 127.5 − 1', () => {
    expectClose(run('tf'), [1, 128 / 127.5 - 1, -1, 10 / 127.5 - 1, 20 / 127.5 - 1, 30 / 127.5 - 1]);
  });

  it('torch: x / 255, minus the RGB means, over the RGB standard deviations', () => {
    expectClose(run('torch'), [
      (1 - 0.485) / 0.229, (128 / 255 - 0.456) / 0.224, (0 - 0.406) / 0.225,
      (10 / 255 - 0.485) / 0.229, (20 / 255 - 0.456) / 0.224, (30 / 255 - 0.406) / 0.225,
    ]);
  });

  it('accepts integer pixels and a single 3-D image, and leaks no tensors', () => {
    expectClose(run('tf', 'int32'), run('tf', 'float32'));
    const before = tf.memory().numTensors;
    const x = tf.tensor3d([255, 0, 0], [1, 1, 3]);
    const y = preprocessInput(tf, x, 'caffe');
    expectClose(Array.from(y.dataSync()), [-103.939, -116.779, 255 - 123.68]);
    expect(x.isDisposed).toBe(false);
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects images without 3 channels', () => {
    const gray = tf.zeros([1, 4, 4, 1]);
    expect(() => preprocessInput(tf, gray, 'tf')).toThrow(GraftError);
    gray.dispose();
  });
});

describe('preprocessModeOf', () => {
  it('uses Keras modes per family', () => {
    expect(preprocessModeOf('vgg16')).toBe('caffe');
    expect(preprocessModeOf('resnet50')).toBe('caffe');
    expect(preprocessModeOf('inception_v3')).toBe('tf');
    expect(preprocessModeOf('mobilenet_v2')).toBe('tf');
  });
});
