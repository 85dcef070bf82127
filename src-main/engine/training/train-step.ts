import type { LayersModel, Optimizer, Scalar, Tensor } from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import { binaryCrossEntropyPerSample, categoricalCrossEntropyPerSample, reduceWeighted } from './loss';

/** How one step computes its loss. */
export interface TrainStepOptions {
  /** The model ends in logits (a head built with `logits: true`) rather than probabilities. */
  fromLogits?: boolean;
  /** ε in [0, 1): targets pulled towards uniform (Keras `label_smoothing`). */
  labelSmoothing?: number;
  /** Loss weight of each class, indexed by label (1 when absent): class weights become per-sample weights. */
  classWeights?: readonly number[];
}

/** What one step measured, on the batch as it was before the update. */
export interface StepResult {
  loss: number;
  accuracy: number;
}

/**
 * One optimizer step on `model` (typically the trainable suffix of a split) with the
 * cross-entropy of its output against `labels` (class indices): categorical for a softmax
 * output, binary for a one-unit sigmoid. Layers run in training mode (dropout on; BN as its
 * freeze state says once `applyKerasBatchNorm` is in place). Returns plain numbers and leaves no
 * tensor behind; the caller keeps `inputs`.
 */
export function trainStep(tf: Tf, model: LayersModel, optimizer: Optimizer, inputs: Tensor | Tensor[], labels: ArrayLike<number>, options: TrainStepOptions = {}): StepResult {
  const n = labels.length;
  const kept: { hits?: Tensor } = {};
  const cost = tf.tidy(() => {
    const y = tf.tensor1d(Array.from(labels), 'int32');
    const weights = options.classWeights ? tf.tensor1d(Array.from(labels, (label) => options.classWeights![label] ?? 1), 'float32') : undefined;
    return optimizer.minimize(() => {
      const output = model.apply(inputs, { training: true }) as Tensor;
      const binary = output.shape[output.rank - 1] === 1;
      const lossOptions = { fromLogits: options.fromLogits ?? false, labelSmoothing: options.labelSmoothing };
      const perSample = binary ? binaryCrossEntropyPerSample(tf, output, y, lossOptions) : categoricalCrossEntropyPerSample(tf, output, y, lossOptions);
      const threshold = options.fromLogits ? 0 : 0.5;
      const predicted = binary ? tf.cast(tf.greater(tf.reshape(output, [n]), threshold), 'int32') : tf.argMax(output, 1);
      kept.hits = tf.keep(tf.sum(tf.cast(tf.equal(predicted, y), 'float32')));
      return reduceWeighted(tf, perSample, weights);
    }, true) as Scalar;
  });
  // One read for both numbers: each read waits for the backend.
  const hits = kept.hits!;
  const both = tf.stack([cost, hits]);
  const [loss, correct] = both.dataSync();
  tf.dispose([both, cost, hits]);
  return { loss: loss!, accuracy: correct! / n };
}
