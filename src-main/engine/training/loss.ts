/**
 * Cross-entropy losses with Keras semantics: label smoothing (y·(1−ε) + ε/K, or ε/2 for the
 * binary case), per-sample weights, and Keras's default reduction "sum over batch size"
 * (Σ wᵢ·lossᵢ / N, not divided by Σ w).
 *
 * Both inputs are accepted, as Keras's `from_logits` flag: prefer logits (the head's last
 * Dense before its softmax or sigmoid). From logits the loss is computed with log-softmax /
 * softplus, exact for any magnitude and with the textbook gradient (softmax − target). From
 * probabilities it matches Keras's backend formula — renormalise, clip to [1e−7, 1 − 1e−7],
 * log — so a confidently wrong sample saturates at −log(1e−7) ≈ 16.1 and its gradient
 * vanishes at the clip, which slows learning on exactly the images that need it.
 */
import type { Scalar, Tensor, Tensor1D } from '@tensorflow/tfjs';
import type { Tf } from '../backend';

/** Keras's `backend.epsilon()`: the clip for probabilities. */
export const KERAS_EPSILON = 1e-7;

/** How a cross-entropy reads its input and weighs its samples. */
export interface CrossEntropyOptions {
  /** True when `output` holds logits, false for probabilities (softmax / sigmoid outputs). */
  fromLogits: boolean;
  /** ε in [0, 1): pulls targets towards uniform. */
  labelSmoothing?: number;
  /** One weight per sample (class weights looked up per label); 1 each when absent. */
  sampleWeights?: Tensor1D;
}

function checkSmoothing(epsilon: number): void {
  if (!(epsilon >= 0 && epsilon < 1)) throw new RangeError(`Label smoothing must be at least 0 and below 1; got ${epsilon}.`);
}

/**
 * Categorical cross-entropy of each sample: `output` is [N, K] (logits or probabilities),
 * `labels` the N class indices. Returns [N] (unweighted).
 */
export function categoricalCrossEntropyPerSample(tf: Tf, output: Tensor, labels: Tensor, options: CrossEntropyOptions): Tensor1D {
  const epsilon = options.labelSmoothing ?? 0;
  checkSmoothing(epsilon);
  if (output.rank !== 2) throw new RangeError(`Categorical cross-entropy needs [batch, classes] outputs; got shape [${output.shape.join(', ')}].`);
  if (labels.size !== output.shape[0]) throw new RangeError(`Categorical cross-entropy needs one label per row; got ${labels.size} labels for ${output.shape[0]} rows.`);
  const classes = output.shape[1]!;
  return tf.tidy(() => {
    let target = tf.cast(tf.oneHot(tf.cast(labels, 'int32'), classes), 'float32');
    if (epsilon > 0) target = tf.add(tf.mul(target, 1 - epsilon), epsilon / classes);
    let logProbs: Tensor;
    if (options.fromLogits) {
      logProbs = tf.logSoftmax(output);
    } else {
      const normalised = tf.div(output, tf.sum(output, -1, true));
      logProbs = tf.log(tf.clipByValue(normalised, KERAS_EPSILON, 1 - KERAS_EPSILON));
    }
    return tf.neg(tf.sum(tf.mul(target, logProbs), -1)) as Tensor1D;
  });
}

/**
 * Binary cross-entropy of each sample for a one-unit sigmoid head: `output` is [N] or [N, 1]
 * (logits or probabilities of the positive class), `labels` N values of 0 or 1. Returns [N].
 */
export function binaryCrossEntropyPerSample(tf: Tf, output: Tensor, labels: Tensor, options: CrossEntropyOptions): Tensor1D {
  const epsilon = options.labelSmoothing ?? 0;
  checkSmoothing(epsilon);
  if (output.size !== labels.size) throw new RangeError(`Binary cross-entropy needs one output per label; got ${output.size} outputs for ${labels.size} labels.`);
  return tf.tidy(() => {
    const x = tf.reshape(output, [-1]);
    let target = tf.cast(tf.reshape(labels, [-1]), 'float32');
    if (epsilon > 0) target = tf.add(tf.mul(target, 1 - epsilon), epsilon / 2);
    if (options.fromLogits) {
      // max(x, 0) − x·t + log(1 + e^−|x|): softplus written so that no exponent overflows.
      return tf.add(tf.sub(tf.relu(x), tf.mul(x, target)), tf.log1p(tf.exp(tf.neg(tf.abs(x))))) as Tensor1D;
    }
    const p = tf.clipByValue(x, KERAS_EPSILON, 1 - KERAS_EPSILON);
    const positive = tf.mul(target, tf.log(p));
    const negative = tf.mul(tf.sub(1, target), tf.log(tf.sub(1, p)));
    return tf.neg(tf.add(positive, negative)) as Tensor1D;
  });
}

/** Keras's "sum over batch size" reduction of per-sample losses, with optional weights. */
export function reduceWeighted(tf: Tf, perSample: Tensor1D, sampleWeights?: Tensor1D): Scalar {
  return tf.tidy(() => {
    const weighted = sampleWeights ? tf.mul(perSample, sampleWeights) : perSample;
    return tf.div(tf.sum(weighted), perSample.shape[0]!) as Scalar;
  });
}

/** The categorical cross-entropy of a batch (a scalar to minimise). */
export function categoricalCrossEntropy(tf: Tf, output: Tensor, labels: Tensor, options: CrossEntropyOptions): Scalar {
  return tf.tidy(() => reduceWeighted(tf, categoricalCrossEntropyPerSample(tf, output, labels, options), options.sampleWeights));
}

/** The binary cross-entropy of a batch (a scalar to minimise). */
export function binaryCrossEntropy(tf: Tf, output: Tensor, labels: Tensor, options: CrossEntropyOptions): Scalar {
  return tf.tidy(() => reduceWeighted(tf, binaryCrossEntropyPerSample(tf, output, labels, options), options.sampleWeights));
}
