/**
 * Classification metrics on plain arrays: accuracy, confusion matrix, per-class precision,
 * recall and F1 with macro and weighted averages (sklearn's definitions, a zero division
 * counting as 0), top-k accuracy, per-image loss, and the margin and entropy uncertainty of
 * probability rows for an active-learning queue.
 *
 * Probabilities come as one flat row-major array of N rows × K classes, as `dataSync()` of an
 * [N, K] tensor gives them.
 */
import type { ClassificationReport, PerClassMetrics } from '../../api/types/training';
import { KERAS_EPSILON } from './loss';

function rowCount(probs: ArrayLike<number>, classes: number): number {
  if (!(Number.isInteger(classes) && classes >= 1) || probs.length % classes !== 0) {
    throw new RangeError(`${probs.length} probabilities do not make rows of ${classes} classes.`);
  }
  return probs.length / classes;
}

function sameLength(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  if (a.length !== b.length) throw new RangeError(`${what}: ${a.length} vs ${b.length} samples.`);
}

const ratio = (numerator: number, denominator: number): number => (denominator === 0 ? 0 : numerator / denominator);

/** The class with the highest probability in each row (the first one on a tie). */
export function argmaxRows(probs: ArrayLike<number>, classes: number): Int32Array {
  const n = rowCount(probs, classes);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[i * classes + c]! > probs[i * classes + best]!) best = c;
    out[i] = best;
  }
  return out;
}

/** Share of samples whose prediction equals the label; 0 for no samples. */
export function accuracy(labels: ArrayLike<number>, predicted: ArrayLike<number>): number {
  sameLength(labels, predicted, 'accuracy');
  let hits = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === predicted[i]) hits++;
  return ratio(hits, labels.length);
}

/** Counts of (true class, predicted class): rows are true classes, columns predictions (sklearn's layout). */
export function confusionMatrix(labels: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  sameLength(labels, predicted, 'confusion matrix');
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) {
    const row = matrix[labels[i]!];
    if (!row || predicted[i]! < 0 || predicted[i]! >= classes) throw new RangeError(`Sample ${i} (label ${labels[i]}, prediction ${predicted[i]}) is outside the ${classes} classes.`);
    row[predicted[i]!]!++;
  }
  return matrix;
}

/**
 * Precision, recall and F1 of each class from a confusion matrix. F1 is 2·TP / (2·TP + FP + FN),
 * equal to the harmonic mean where that is defined; every 0/0 counts as 0.
 */
export function perClassMetrics(confusion: readonly (readonly number[])[]): PerClassMetrics {
  const k = confusion.length;
  const result: PerClassMetrics = { precision: [], recall: [], f1: [], support: [] };
  for (let c = 0; c < k; c++) {
    const tp = confusion[c]![c]!;
    let predictedAs = 0;
    for (let r = 0; r < k; r++) predictedAs += confusion[r]![c]!;
    const support = confusion[c]!.reduce((a, b) => a + b, 0);
    result.precision.push(ratio(tp, predictedAs));
    result.recall.push(ratio(tp, support));
    result.f1.push(ratio(2 * tp, predictedAs + support));
    result.support.push(support);
  }
  return result;
}

function averages(metrics: PerClassMetrics, weights: readonly number[]): { precision: number; recall: number; f1: number } {
  const total = weights.reduce((a, b) => a + b, 0);
  const mean = (values: number[]): number => ratio(values.reduce((sum, v, i) => sum + v * weights[i]!, 0), total);
  return { precision: mean(metrics.precision), recall: mean(metrics.recall), f1: mean(metrics.f1) };
}

/**
 * sklearn's `classification_report` as data, over all `classes` (a class with no samples and no
 * predictions counts as 0 in the macro average, as with sklearn's `labels=range(K)`).
 */
export function classificationReport(labels: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): ClassificationReport {
  const confusion = confusionMatrix(labels, predicted, classes);
  const perClass = perClassMetrics(confusion);
  return {
    ...perClass,
    accuracy: accuracy(labels, predicted),
    confusion,
    macro: averages(perClass, perClass.support.map(() => 1)),
    weighted: averages(perClass, perClass.support),
  };
}

/**
 * Share of samples whose label is among the k most probable classes. A tie at the boundary
 * counts in favour of the label (TensorFlow's `in_top_k`): the label is in the top k when fewer
 * than k classes are strictly more probable.
 */
export function topKAccuracy(probs: ArrayLike<number>, classes: number, labels: ArrayLike<number>, k: number): number {
  const n = rowCount(probs, classes);
  if (labels.length !== n) throw new RangeError(`top-k: ${n} rows for ${labels.length} labels.`);
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const target = probs[i * classes + labels[i]!]!;
    let above = 0;
    for (let c = 0; c < classes; c++) if (probs[i * classes + c]! > target) above++;
    if (above < k) hits++;
  }
  return ratio(hits, n);
}

/**
 * Cross-entropy of each sample, −log p(label), with Keras's clip of p to [1e−7, 1 − 1e−7]
 * (no label smoothing: this ranks images for the gallery, it is not the training loss).
 */
export function perSampleLoss(probs: ArrayLike<number>, classes: number, labels: ArrayLike<number>): Float32Array {
  const n = rowCount(probs, classes);
  if (labels.length !== n) throw new RangeError(`per-sample loss: ${n} rows for ${labels.length} labels.`);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const p = Math.min(Math.max(probs[i * classes + labels[i]!]!, KERAS_EPSILON), 1 - KERAS_EPSILON);
    out[i] = -Math.log(p);
  }
  return out;
}

/** Difference between the two highest probabilities of each row: near 0 = the model hesitates between two classes. */
export function margin(probs: ArrayLike<number>, classes: number): Float32Array {
  const n = rowCount(probs, classes);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let first = Number.NEGATIVE_INFINITY;
    let second = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < classes; c++) {
      const p = probs[i * classes + c]!;
      if (p > first) {
        second = first;
        first = p;
      } else if (p > second) second = p;
    }
    // One class: nothing to hesitate between.
    out[i] = classes === 1 ? 1 : first - second;
  }
  return out;
}

/**
 * Shannon entropy of each row in nats (0 = certain; log K = uniform), or divided by log K so it
 * lies in 0…1 when `normalised`.
 */
export function entropy(probs: ArrayLike<number>, classes: number, normalised = false): Float32Array {
  const n = rowCount(probs, classes);
  const out = new Float32Array(n);
  const scale = normalised && classes > 1 ? 1 / Math.log(classes) : 1;
  for (let i = 0; i < n; i++) {
    let h = 0;
    for (let c = 0; c < classes; c++) {
      const p = probs[i * classes + c]!;
      if (p > 0) h -= p * Math.log(p);
    }
    out[i] = h * scale;
  }
  return out;
}
