import type {
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropInputAttrs,
  DepthwiseConv2dNativeBackpropFilterAttrs,
  DepthwiseConv2dNativeBackpropInputAttrs,
  Tensor,
  Tensor4D,
} from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import { channelSums } from './batchnorm-ops';

// Gradients of 2-D convolutions written with forward ops only (pad, reshape, transpose, matMul,
// depthwiseConv2d, conv2d), so a backend that has fast forward kernels but no gradient kernels
// (tfjs-backend-wasm 4.22) still trains convolutions. Channels-last, dilation 1: what Keras
// Applications use. Every function returns a new tensor; the caller disposes it.

/** Padding of one convolution as tfjs computes it, plus the output size. */
interface ConvGeometry {
  top: number;
  left: number;
  bottom: number;
  right: number;
  strideH: number;
  strideW: number;
  outH: number;
  outW: number;
}

type PadAttr = Conv2DBackpropFilterAttrs['pad'];

function geometry(
  tf: Tf,
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  attrs: { strides: [number, number] | number; pad: PadAttr; dimRoundingMode?: 'floor' | 'round' | 'ceil' },
  depthwise: boolean,
): ConvGeometry {
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, depthwise);
  const { top, left, bottom, right } = info.padInfo;
  return { top, left, bottom, right, strideH: info.strideHeight, strideW: info.strideWidth, outH: info.outHeight, outW: info.outWidth };
}

/** True when a convolution of these attributes is one this module handles (NHWC, dilation 1). */
export function isPlainConv(attrs: { dataFormat?: string; dilations?: [number, number] | number }): boolean {
  const d = attrs.dilations ?? 1;
  const dilated = typeof d === 'number' ? d !== 1 : d[0] !== 1 || d[1] !== 1;
  return (attrs.dataFormat === undefined || attrs.dataFormat === 'NHWC') && !dilated;
}

function padLike(tf: Tf, x: Tensor4D, g: ConvGeometry): Tensor4D {
  if (isUnpadded(g)) return x;
  return tf.pad(x, [[0, 0], [g.top, g.bottom], [g.left, g.right], [0, 0]]);
}

/**
 * The first kh×kw taps of a correlation result. With a stride the last input rows may never be
 * read; the correlation then yields extra taps, and cutting the small result is much cheaper than
 * cutting the large input (slices are slow on tfjs-backend-wasm).
 */
function firstTaps(tf: Tf, t: Tensor4D, kh: number, kw: number): Tensor4D {
  const [a, h, w, d] = t.shape;
  return h === kh && w === kw ? t : tf.slice(t, [0, 0, 0, 0], [a, kh, kw, d]);
}

/**
 * dL/dW of conv2d. The filter gradient is itself a correlation: of x (batch moved into the
 * channel axis, input channels into the batch axis) with dy as the filter, dilated by the
 * stride. That one forward conv2d beats per-tap slicing several-fold on strided layers; a 1×1
 * stride-1 convolution is a single matMul. No matMul gets a transpose flag: tfjs-backend-wasm
 * runs those about 10× slower than plain ones.
 */
export function conv2dFilterGrad(tf: Tf, x: Tensor4D, dy: Tensor4D, attrs: Conv2DBackpropFilterAttrs): Tensor4D {
  const [kh, kw, cin, cout] = attrs.filterShape;
  return tf.tidy(() => {
    const g = geometry(tf, x.shape, attrs.filterShape, attrs, false);
    if (kh === 1 && kw === 1 && g.strideH === 1 && g.strideW === 1 && isUnpadded(g)) {
      const xColumns = tf.transpose(tf.reshape(x, [-1, cin]));
      return reshape4(tf, tf.matMul(xColumns, tf.reshape(dy, [-1, cout])), [1, 1, cin, cout]);
    }
    const xByChannel = tf.transpose(padLike(tf, x, g), [3, 1, 2, 0]);
    const dyAsFilter = tf.transpose(dy, [1, 2, 0, 3]);
    const grad = tf.conv2d(xByChannel, dyAsFilter, 1, 'valid', 'NHWC', [g.strideH, g.strideW]);
    return tf.transpose(firstTaps(tf, grad, kh, kw), [1, 2, 0, 3]);
  });
}

/**
 * dL/dW of a depthwise convolution, also as a correlation: batch folded into channels, dy (one
 * filter per batch-channel) dilated by the stride, then summed over the batch.
 */
export function depthwiseFilterGrad(tf: Tf, x: Tensor4D, dy: Tensor4D, attrs: DepthwiseConv2dNativeBackpropFilterAttrs): Tensor4D {
  const [kh, kw, channels, multiplier] = attrs.filterShape;
  return tf.tidy(() => {
    const g = geometry(tf, x.shape, attrs.filterShape, attrs, true);
    const [n] = x.shape;
    const padded = padLike(tf, x, g);
    const folded = reshape4(tf, tf.transpose(padded, [1, 2, 0, 3]), [1, padded.shape[1], padded.shape[2], n * channels]);
    // dy's channels are channel-major (c * multiplier + m): keep that order inside each batch slot.
    const dyAsFilter = reshape4(tf, tf.transpose(dy, [1, 2, 0, 3]), [g.outH, g.outW, n * channels, multiplier]);
    const grad = firstTaps(tf, tf.depthwiseConv2d(folded, dyAsFilter, 1, 'valid', 'NHWC', [g.strideH, g.strideW]), kh, kw);
    return tf.sum(tf.reshape(grad, [kh, kw, n, channels, multiplier]), 2) as Tensor4D;
  });
}

/**
 * dL/dW of a depthwise convolution with channel multiplier 1, tap by tap: for tap (i, j) the
 * padded x times dy spread by the stride and shifted by (i, j), summed per channel. On
 * tfjs-backend-wasm this is several times faster than `depthwiseFilterGrad`, whose correlation
 * has one channel per image and channel and dy's whole map as its filter (for MobileNetV2's
 * block_16 at batch 32, 30720 channels and a 7×7 filter: ~30 ms, against ~15 ms here); on the
 * cpu backend the reverse.
 */
export function depthwiseFilterGradByTaps(tf: Tf, x: Tensor4D, dy: Tensor4D, attrs: DepthwiseConv2dNativeBackpropFilterAttrs): Tensor4D {
  const [kh, kw, channels, multiplier] = attrs.filterShape;
  if (multiplier !== 1) throw new RangeError(`depthwiseFilterGradByTaps needs a channel multiplier of 1; got ${multiplier}.`);
  return tf.tidy(() => {
    const g = geometry(tf, x.shape, attrs.filterShape, attrs, true);
    const [, h, w] = x.shape;
    const spread = spreadByStride(tf, dy, g.strideH, g.strideW);
    // One frame that holds the padded input and every shifted spread (its trailing zeros included).
    const frameH = Math.max(h + g.top + g.bottom, spread.shape[1] + kh - 1);
    const frameW = Math.max(w + g.left + g.right, spread.shape[2] + kw - 1);
    const frame = tf.pad(x, [[0, 0], [g.top, frameH - h - g.top], [g.left, frameW - w - g.left], [0, 0]]);
    const taps: Tensor[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const shifted = tf.pad(spread, [[0, 0], [i, frameH - i - spread.shape[1]], [j, frameW - j - spread.shape[2]], [0, 0]]);
        taps.push(channelSums(tf, tf.mul(frame, shifted)));
      }
    }
    return reshape4(tf, tf.stack(taps), [kh, kw, channels, 1]);
  });
}

function reshape4(tf: Tf, x: Tensor, shape: [number, number, number, number]): Tensor4D {
  return tf.reshape(x, shape);
}

function isUnpadded(g: ConvGeometry): boolean {
  return g.top === 0 && g.bottom === 0 && g.left === 0 && g.right === 0;
}

/**
 * Spreads a map onto a grid `stride` times finer: each value at (y·sh, x·sw), zeros between and
 * s−1 zero rows/columns after the last. Done with rank-4 pads only: rank-6 pads and slices of
 * large tensors are slow on tfjs-backend-wasm.
 */
export function spreadByStride(tf: Tf, t: Tensor4D, sh: number, sw: number): Tensor4D {
  const [n, h, w, c] = t.shape;
  let out = t;
  if (sw > 1) out = reshape4(tf, tf.pad(reshape4(tf, out, [n * h, w, 1, c]), [[0, 0], [0, 0], [0, sw - 1], [0, 0]]), [n, h, w * sw, c]);
  if (sh > 1) out = reshape4(tf, tf.pad(reshape4(tf, out, [n, h, 1, w * sw * c]), [[0, 0], [0, 0], [0, sh - 1], [0, 0]]), [n, h * sh, w * sw, c]);
  return out;
}

/**
 * dy spread back onto the input grid of a strided convolution, then padded so that a stride-1
 * 'valid' convolution with the flipped filter yields dL/dx.
 */
function spreadForTranspose(tf: Tf, dy: Tensor4D, g: ConvGeometry, kh: number, kw: number, inH: number, inW: number): Tensor4D {
  let spread = spreadByStride(tf, dy, g.strideH, g.strideW);
  const top = kh - 1 - g.top;
  const left = kw - 1 - g.left;
  if (top < 0 || left < 0) {
    // Only an explicit padding larger than the filter gets here; Keras never builds one.
    throw new Error(`Unsupported convolution padding for a composed gradient: ${JSON.stringify(g)}`);
  }
  let bottom = inH + kh - 1 - spread.shape[1] - top;
  let right = inW + kw - 1 - spread.shape[2] - left;
  if (bottom < 0 || right < 0) {
    // The spread's trailing zeros reach past what the input grid needs.
    const [n, h, w, c] = spread.shape;
    spread = tf.slice(spread, [0, 0, 0, 0], [n, h + Math.min(bottom, 0), w + Math.min(right, 0), c]);
    bottom = Math.max(bottom, 0);
    right = Math.max(right, 0);
  }
  return tf.pad(spread, [[0, 0], [top, bottom], [left, right], [0, 0]]);
}

/**
 * A filter mirrored in both spatial axes (the adjoint of a correlation is a correlation with
 * it), as a permutation matrix times the filter's taps: exact (ones and zeros), and ~20× faster
 * on tfjs-backend-wasm than its Reverse kernel, which dominated small-input fine-tuning steps.
 */
function flipped(tf: Tf, filter: Tensor4D): Tensor4D {
  const [kh, kw, a, b] = filter.shape;
  const taps = kh * kw;
  if (taps === 1) return filter;
  const permutation = new Float32Array(taps * taps);
  for (let t = 0; t < taps; t++) permutation[t * taps + (taps - 1 - t)] = 1;
  return reshape4(tf, tf.matMul(tf.tensor2d(permutation, [taps, taps]), tf.reshape(filter, [taps, a * b])), [kh, kw, a, b]);
}

/**
 * dL/dx of a depthwise convolution: a stride-1 depthwise convolution of the spread dy with the
 * flipped filter; with a channel multiplier the per-multiplier results are summed.
 */
export function depthwiseInputGrad(tf: Tf, dy: Tensor4D, filter: Tensor4D, attrs: DepthwiseConv2dNativeBackpropInputAttrs): Tensor4D {
  const [n, inH, inW, channels] = attrs.inputShape;
  const [kh, kw, , multiplier] = filter.shape;
  return tf.tidy(() => {
    const g = geometry(tf, attrs.inputShape, filter.shape, attrs, true);
    const spread = spreadForTranspose(tf, dy, g, kh, kw, inH, inW);
    const perChannel = reshape4(tf, flipped(tf, filter), [kh, kw, channels * multiplier, 1]);
    const out = tf.depthwiseConv2d(spread, perChannel, 1, 'valid');
    if (multiplier === 1) return out;
    return tf.sum(tf.reshape(out, [n, inH, inW, channels, multiplier]), 4) as Tensor4D;
  });
}

/**
 * dL/dx of conv2d: a stride-1 convolution of the spread dy with the flipped filter whose in and
 * out channels are swapped. An unpadded 1×1 convolution is one matMul, spread when strided.
 */
export function conv2dInputGrad(tf: Tf, dy: Tensor4D, filter: Tensor4D, attrs: Conv2DBackpropInputAttrs): Tensor4D {
  const [n, inH, inW, cin] = attrs.inputShape;
  const [kh, kw, , cout] = filter.shape;
  return tf.tidy(() => {
    const g = geometry(tf, attrs.inputShape, filter.shape, attrs, false);
    if (kh === 1 && kw === 1 && isUnpadded(g)) {
      const rows = tf.matMul(tf.reshape(dy, [-1, cout]), tf.transpose(tf.reshape(filter, [cin, cout])));
      const atOutputs = reshape4(tf, rows, [n, g.outH, g.outW, cin]);
      return g.strideH === 1 && g.strideW === 1 && g.outH === inH && g.outW === inW ? atOutputs : spreadForTranspose(tf, atOutputs, g, 1, 1, inH, inW);
    }
    const spread = spreadForTranspose(tf, dy, g, kh, kw, inH, inW);
    return tf.conv2d(spread, tf.transpose(flipped(tf, filter), [0, 1, 3, 2]), 1, 'valid');
  });
}
