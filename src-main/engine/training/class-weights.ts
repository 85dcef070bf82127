/** Per-class loss weights (none, sklearn's "balanced", or manual) and the per-sample weights of a batch. */
import { assertNever, GraftError } from '../../api/errors';
import type { ClassWeightSpec } from '../../api/types/training';

/**
 * One weight per class, in class order, from the training images per class.
 * Balanced is sklearn's `compute_class_weight('balanced')`: n_samples / (n_classes × count),
 * so a class twice as rare weighs twice as much and the average sample weight is 1.
 */
export function classWeights(spec: ClassWeightSpec, counts: readonly number[], classNames: readonly string[]): number[] {
  if (counts.length !== classNames.length) throw new RangeError(`${counts.length} counts for ${classNames.length} classes.`);
  switch (spec.kind) {
    case 'none':
      return counts.map(() => 1);
    case 'balanced': {
      const total = counts.reduce((a, b) => a + b, 0);
      const empty = counts.findIndex((count) => count <= 0);
      if (empty >= 0) {
        throw new GraftError('bad-request', `Class "${classNames[empty]}" has no training images, so balanced class weights cannot be computed. Label some of its images for training or remove the class.`);
      }
      return counts.map((count) => total / (counts.length * count));
    }
    case 'manual':
      return manualWeights(spec.weights, classNames);
    default:
      return assertNever(spec, 'class weighting');
  }
}

function manualWeights(weights: Record<string, number>, classNames: readonly string[]): number[] {
  const unknown = Object.keys(weights).filter((name) => !classNames.includes(name));
  if (unknown.length > 0) {
    throw new GraftError('bad-request', `Class weights name classes the project does not have: ${unknown.join(', ')}. Classes are: ${classNames.join(', ')}.`);
  }
  const result = classNames.map((name) => weights[name] ?? 1);
  const bad = result.findIndex((w) => !(Number.isFinite(w) && w >= 0));
  if (bad >= 0) throw new GraftError('bad-request', `The weight of class "${classNames[bad]}" must be a number of 0 or more; got ${result[bad]}.`);
  if (result.every((w) => w === 0)) throw new GraftError('bad-request', 'At least one class needs a weight above 0, or no image would count.');
  return result;
}

/** The weight of each sample of a batch, from its class index. */
export function sampleWeights(perClass: readonly number[], labels: ArrayLike<number>): Float32Array {
  const out = new Float32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const weight = perClass[labels[i]!];
    if (weight === undefined) throw new RangeError(`Label ${labels[i]} at sample ${i} is outside the ${perClass.length} classes.`);
    out[i] = weight;
  }
  return out;
}
