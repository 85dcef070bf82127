import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import { spreadByStride } from './conv-gradients';

/** Attributes of tfjs's MaxPoolGrad kernel. */
export interface MaxPoolGradAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** Stands in for -Infinity in the padding: below any activation, and 0 × it is still 0 (no NaN). */
const LOWEST = -3.4028234663852886e38;

/**
 * dL/dx of max pooling from forward ops: each output's gradient goes to the first input of its
 * window (in row-major order) that equals the pooled maximum, as tfjs's cpu kernel and
 * TensorFlow route it; ties matter because after a ReLU a window is often all zeros.
 * tfjs-backend-wasm 4.22's own MaxPoolGrad (and MaxPoolWithArgmax) give wrong results for
 * 'same' padding and for odd sizes, hence this.
 *
 * Tap (i, j) of every window is read with a stride-s depthwise convolution whose filter is 1 at
 * (i, j): exact, and far faster on wasm than a strided slice. Claims are kept as 0/1 floats.
 */
export function maxPoolGrad(tf: Tf, dy: Tensor4D, x: Tensor4D, y: Tensor4D, attrs: MaxPoolGradAttrs): Tensor4D {
  const info = tf.backend_util.computePool2DInfo(x.shape, attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const { top, left } = info.padInfo;
  const kh = info.effectiveFilterHeight;
  const kw = info.effectiveFilterWidth;
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  const [n, h, w, c] = x.shape;
  return tf.tidy(() => {
    const readH = (info.outHeight - 1) * sh + kh;
    const readW = (info.outWidth - 1) * sw + kw;
    const bottom = Math.max(0, readH - h - top);
    const right = Math.max(0, readW - w - left);
    const padded = top || bottom || left || right ? tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]], LOWEST) : x;
    let unclaimed: Tensor = tf.onesLike(y);
    // Gradients gather in a frame of the padded grid that every placed tap fits without cutting.
    let frame: Tensor4D | null = null;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const tap = tf.depthwiseConv2d(padded, oneHotFilter(tf, kh, kw, c, i, j), [sh, sw], 'valid');
        const claims = tf.mul(unclaimed, tf.cast(tf.equal(tap, y), 'float32'));
        unclaimed = tf.sub(unclaimed, claims);
        const spread = spreadByStride(tf, tf.mul(claims, dy), sh, sw);
        const placed = tf.pad(spread, [[0, 0], [i, kh - 1 - i], [j, kw - 1 - j], [0, 0]]);
        frame = frame ? tf.add<Tensor4D>(frame, placed) : placed;
      }
    }
    return cropToInput(tf, frame!, top, left, [n, h, w, c]);
  });
}

/** A [kh, kw, c, 1] depthwise filter that copies tap (i, j) of every channel. */
function oneHotFilter(tf: Tf, kh: number, kw: number, c: number, i: number, j: number): Tensor4D {
  const values = new Float32Array(kh * kw * c);
  values.fill(1, (i * kw + j) * c, (i * kw + j + 1) * c);
  return tf.tensor4d(values, [kh, kw, c, 1]);
}

/** The input's rows and columns of the frame; rows no window read (valid pooling) get zeros. */
function cropToInput(tf: Tf, frame: Tensor4D, top: number, left: number, shape: [number, number, number, number]): Tensor4D {
  const [n, h, w, c] = shape;
  const shortH = Math.max(0, top + h - frame.shape[1]);
  const shortW = Math.max(0, left + w - frame.shape[2]);
  const full = shortH || shortW ? tf.pad(frame, [[0, 0], [0, shortH], [0, shortW], [0, 0]]) : frame;
  return full.shape[1] === h && full.shape[2] === w ? full : tf.slice(full, [0, top, left, 0], [n, h, w, c]);
}
