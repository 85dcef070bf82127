import type { GradSaveFunc, Tensor, Tensor1D, Tensor4D } from '@tensorflow/tfjs';
import type { Tf } from '../backend';

// BatchNormalization over the last axis with gradients of few, large kernels, for
// tfjs-backend-wasm. tfjs's own batchNorm gradient tiles per-channel vectors to the full input,
// sums over the leading axes (wasm transposes the whole tensor first) and builds several
// full-size temporaries; its FusedBatchNorm forward is a plain loop. Measured on wasm for a
// [32, 7, 7, 960] input: FusedBatchNorm ~6 ms against ~1 ms for subtract-multiply-add, a Sum
// over the leading axes ~3 ms against ~0.4 ms for `channelSums`. On the cpu backend the
// broadcasting element-wise ops are far slower than its batchNorm (~200 ms against ~35 ms), so
// callers use these on wasm only.

/** Channel count and row count (everything before the last axis) of a channels-last tensor. */
function rowsAndChannels(x: Tensor): [number, number] {
  const channels = x.shape[x.rank - 1]!;
  return [x.size / channels, channels];
}

/**
 * Per-channel sums of a channels-last tensor: an average pool whose one window covers every row,
 * times the row count. wasm's Sum over leading axes transposes first (~3 ms for [1568, 960]), and
 * a matMul with a row of ones repacks the whole tensor as its weights (~4 ms); the pool ~0.4 ms.
 */
export function channelSums(tf: Tf, t: Tensor): Tensor1D {
  const [rows, channels] = rowsAndChannels(t);
  return tf.tidy(() => tf.mul(tf.reshape(tf.avgPool(tf.reshape(t, [1, rows, 1, channels]) as Tensor4D, [rows, 1], 1, 'valid'), [channels]), rows));
}

/** The per-channel vectors of an inference-mode BatchNormalization. */
export interface MovingStatistics {
  mean: Tensor;
  variance: Tensor;
  /** gamma (ones when the layer has none). */
  scale: Tensor;
  /** beta (zeros when the layer has none). */
  offset: Tensor;
  epsilon: number;
}

/**
 * (x − mean) · scale / √(variance + ε) + offset over the last axis, with the moving statistics
 * constant: its gradients are dy · scale/√(variance + ε) for x, Σ dy·(x − mean)/√(variance + ε)
 * for scale and Σ dy for offset (sums over every axis but the last).
 */
export function batchNormMoving(tf: Tf, x: Tensor, stats: MovingStatistics): Tensor {
  return tf.tidy(() => {
    const inverse = tf.rsqrt(tf.add(stats.variance, stats.epsilon));
    const op = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
      const [input, scale, offset, save] = args as [Tensor, Tensor, Tensor, GradSaveFunc];
      const centred = tf.sub(input, stats.mean);
      const factor = tf.mul(scale, inverse);
      save([centred, factor, inverse]);
      return {
        value: tf.add(tf.mul(centred, factor), offset),
        gradFunc: (dy: Tensor, saved: Tensor[]) => {
          const [c, f, inv] = saved as [Tensor, Tensor, Tensor];
          return [tf.mul(dy, f), tf.mul(channelSums(tf, tf.mul(dy, c)), inv), channelSums(tf, dy)];
        },
      };
    });
    return op(x, stats.scale, stats.offset);
  });
}

/** A training-mode BatchNormalization's output and the batch statistics it used (for the moving update). */
export interface BatchNormalised {
  output: Tensor;
  mean: Tensor1D;
  variance: Tensor1D;
}

/**
 * Training mode over the last axis: normalises with the batch's mean and (biased) variance, as
 * tfjs-layers does, and returns them too. The gradient for x includes the path through the batch
 * statistics: scale/√(var + ε) · (dy − mean(dy) − x̂ · mean(dy · x̂)), with x̂ the normalised input.
 */
export function batchNormBatch(tf: Tf, x: Tensor, scale: Tensor, offset: Tensor, epsilon: number): BatchNormalised {
  const [rows] = rowsAndChannels(x);
  // The statistics leave the custom op's scope kept, as its only other outputs.
  let statistics: [Tensor1D, Tensor1D] | null = null;
  const op = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [input, gamma, beta, save] = args as [Tensor, Tensor, Tensor, GradSaveFunc];
    const mean = tf.div(channelSums(tf, input), rows) as Tensor1D;
    const centred = tf.sub(input, mean);
    const variance = tf.div(channelSums(tf, tf.square(centred)), rows) as Tensor1D;
    const inverse = tf.rsqrt(tf.add(variance, epsilon));
    const normalised = tf.mul(centred, inverse);
    statistics = [tf.keep(mean), tf.keep(variance)];
    save([normalised, tf.mul(gamma, inverse)]);
    return {
      value: tf.add(tf.mul(normalised, gamma), beta),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [xHat, factor] = saved as [Tensor, Tensor];
        const dOffset = channelSums(tf, dy);
        const dScale = channelSums(tf, tf.mul(dy, xHat));
        const centredDy = tf.sub(dy, tf.div(dOffset, rows));
        const dx = tf.mul(tf.sub(centredDy, tf.mul(xHat, tf.div(dScale, rows))), factor);
        return [dx, dScale, dOffset];
      },
    };
  });
  const output = op(x, scale, offset);
  const kept = statistics as unknown as [Tensor1D, Tensor1D];
  // Copies in the caller's scope (the kept ones would outlive any tidy around this call).
  const [mean, variance] = kept.map((t) => tf.clone(t));
  tf.dispose(kept);
  return { output, mean: mean!, variance: variance! };
}
