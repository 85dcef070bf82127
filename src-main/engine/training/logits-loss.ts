/**
 * The cross-entropy of a batch computed in plain JavaScript from logits that another runtime
 * produced (ONNX Runtime's training step): the same formulas as `loss.ts` reads from logits —
 * log-softmax for softmax heads, the overflow-free softplus form for one sigmoid unit — with
 * label smoothing, and which samples the logits classify right.
 */

/** Targets for a batch: one-hot rows [N, units] smoothed towards uniform (ε/K, or ε/2 for one sigmoid unit). */
export function smoothedTargets(labels: readonly number[], units: number, smoothing: number): Float32Array {
  const out = new Float32Array(labels.length * units);
  if (units === 1) {
    labels.forEach((label, i) => (out[i] = label * (1 - smoothing) + smoothing / 2));
    return out;
  }
  const floor = smoothing / units;
  out.fill(floor);
  labels.forEach((label, i) => (out[i * units + label] = 1 - smoothing + floor));
  return out;
}

/** Per-sample cross-entropy of logits [N, units] against `targets` (from `smoothedTargets`). */
export function crossEntropyFromLogits(logits: Float32Array, units: number, targets: Float32Array): Float64Array {
  const n = logits.length / units;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (units === 1) {
      const x = logits[i]!;
      const t = targets[i]!;
      out[i] = Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x)));
      continue;
    }
    let max = -Infinity;
    for (let k = 0; k < units; k++) max = Math.max(max, logits[i * units + k]!);
    let sum = 0;
    for (let k = 0; k < units; k++) sum += Math.exp(logits[i * units + k]! - max);
    const logSum = max + Math.log(sum);
    let loss = 0;
    for (let k = 0; k < units; k++) loss -= targets[i * units + k]! * (logits[i * units + k]! - logSum);
    out[i] = loss;
  }
  return out;
}

/** How many rows of logits pick the label: the first largest logit, or a positive logit for one sigmoid unit. */
export function hitsFromLogits(logits: Float32Array, units: number, labels: readonly number[]): number {
  let hits = 0;
  labels.forEach((label, i) => {
    if (units === 1) {
      if ((logits[i]! > 0 ? 1 : 0) === label) hits += 1;
      return;
    }
    let best = 0;
    for (let k = 1; k < units; k++) if (logits[i * units + k]! > logits[i * units + best]!) best = k;
    if (best === label) hits += 1;
  });
  return hits;
}

/** Class probabilities [N, classes] from logits: softmax rows, or (negative, positive) from one sigmoid unit. */
export function probabilitiesFromLogits(logits: Float32Array, units: number): { probabilities: Float32Array; classes: number } {
  const n = logits.length / units;
  if (units === 1) {
    const probabilities = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-logits[i]!));
      probabilities[2 * i] = 1 - p;
      probabilities[2 * i + 1] = p;
    }
    return { probabilities, classes: 2 };
  }
  const probabilities = new Float32Array(logits.length);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let k = 0; k < units; k++) max = Math.max(max, logits[i * units + k]!);
    let sum = 0;
    for (let k = 0; k < units; k++) sum += Math.exp(logits[i * units + k]! - max);
    for (let k = 0; k < units; k++) probabilities[i * units + k] = Math.exp(logits[i * units + k]! - max) / sum;
  }
  return { probabilities, classes: units };
}
