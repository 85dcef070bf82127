import type { PredictedImage } from '../../api/types/predict';
import { entropy, margin } from '../training/metrics';

/** How far a row of probabilities may sum from 1 (float32 softmax over many classes). */
const SUM_TOLERANCE = 1e-3;

/** True when every row is a probability distribution (each value in 0…1, the row summing to 1). */
function looksLikeProbabilities(values: Float32Array, width: number): boolean {
  for (let start = 0; start < values.length; start += width) {
    let sum = 0;
    for (let c = 0; c < width; c++) {
      const v = values[start + c]!;
      if (!(v >= -SUM_TOLERANCE && v <= 1 + SUM_TOLERANCE)) return false;
      sum += v;
    }
    if (Math.abs(sum - 1) > SUM_TOLERANCE) return false;
  }
  return true;
}

function softmaxRows(values: Float32Array, width: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let start = 0; start < values.length; start += width) {
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < width; c++) max = Math.max(max, values[start + c]!);
    let sum = 0;
    for (let c = 0; c < width; c++) sum += out[start + c] = Math.exp(values[start + c]! - max);
    for (let c = 0; c < width; c++) out[start + c]! /= sum;
  }
  return out;
}

/**
 * A model's outputs for `n` images as probability rows: a one-unit sigmoid becomes two columns
 * (negative, positive) as evaluation does; rows that are not distributions (a model ending in
 * logits) get a softmax, and `onLogits` is told so the caller can say what was assumed.
 */
export function probabilityRows(output: Float32Array, n: number, onLogits: () => void): { rows: Float32Array; classes: number } {
  const width = output.length / n;
  if (width === 1) {
    const rows = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      rows[2 * i] = 1 - output[i]!;
      rows[2 * i + 1] = output[i]!;
    }
    return { rows, classes: 2 };
  }
  if (looksLikeProbabilities(output, width)) return { rows: output, classes: width };
  onLogits();
  return { rows: softmaxRows(output, width), classes: width };
}

/** Each image's top-K classes, its full row, margin (top-1 − top-2) and entropy (nats). */
export function predictedImages(paths: readonly string[], rows: Float32Array, classes: readonly string[], top: number): PredictedImage[] {
  const k = classes.length;
  const margins = margin(rows, k);
  const entropies = entropy(rows, k);
  return paths.map((file, i) => {
    const row = Array.from(rows.subarray(i * k, (i + 1) * k));
    const order = row.map((_, c) => c).sort((a, b) => row[b]! - row[a]! || a - b);
    return {
      path: file,
      top: order.slice(0, Math.min(top, k)).map((c) => ({ classIndex: c, label: classes[c]!, probability: row[c]! })),
      probabilities: row,
      margin: margins[i]!,
      entropy: entropies[i]!,
    };
  });
}
