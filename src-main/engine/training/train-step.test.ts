import * as tf from '@tensorflow/tfjs';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { trainStep } from './train-step';
import { seededValues, useBackend } from './test-support/tf-backends';

beforeAll(async () => {
  await useBackend('cpu');
});

/** A dense classifier over 4 features with fixed weights. */
function classifier(units: number, activation: 'softmax' | 'sigmoid' | 'linear'): LayersModel {
  const input = tf.input({ shape: [4] });
  const out = tf.layers.dense({ units, activation, kernelInitializer: tf.initializers.glorotUniform({ seed: 9 }) }).apply(input) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

const X = () => tf.tensor2d(seededValues([6, 4], 1), [6, 4]);
const LABELS = [0, 2, 1, 2, 0, 1];

/** Cross-entropy computed by hand from the model's probabilities (Keras's formula, no clipping needed here). */
function expectedLoss(probabilities: Float32Array, classes: number, labels: number[], smoothing: number, weights: number[]): number {
  let sum = 0;
  labels.forEach((label, i) => {
    for (let k = 0; k < classes; k++) {
      const target = (k === label ? 1 : 0) * (1 - smoothing) + smoothing / classes;
      sum -= weights[label]! * target * Math.log(probabilities[i * classes + k]!);
    }
  });
  return sum / labels.length;
}

describe('trainStep', () => {
  it('returns the batch loss (label smoothing, class weights) and accuracy before the update', () => {
    const model = classifier(3, 'softmax');
    const x = X();
    const probabilities = (model.predict(x) as Tensor).dataSync() as Float32Array;
    const predicted = LABELS.map((_, i) => [0, 1, 2].reduce((best, k) => (probabilities[i * 3 + k]! > probabilities[i * 3 + best]! ? k : best), 0));
    const accuracy = predicted.filter((p, i) => p === LABELS[i]).length / LABELS.length;
    const weights = [1, 2, 0.5];
    const result = trainStep(tf, model, tf.train.sgd(0.1), x, LABELS, { labelSmoothing: 0.1, classWeights: weights });
    expect(result.loss).toBeCloseTo(expectedLoss(probabilities, 3, LABELS, 0.1, weights), 5);
    expect(result.accuracy).toBeCloseTo(accuracy, 10);
    // The step changed the model.
    expect((model.predict(x) as Tensor).dataSync()).not.toEqual(probabilities);
  });

  it('trains from logits when the head has no softmax', () => {
    const logits = classifier(3, 'linear');
    const x = X();
    const probabilities = tf.softmax(logits.predict(x) as Tensor).dataSync() as Float32Array;
    const result = trainStep(tf, logits, tf.train.sgd(0.1), x, LABELS, { fromLogits: true });
    expect(result.loss).toBeCloseTo(expectedLoss(probabilities, 3, LABELS, 0, [1, 1, 1]), 5);
  });

  it('uses binary cross-entropy for a one-unit sigmoid', () => {
    const model = classifier(1, 'sigmoid');
    const x = X();
    const labels = [0, 1, 1, 0, 1, 0];
    const p = (model.predict(x) as Tensor).dataSync();
    const expected = -labels.reduce((sum, y, i) => sum + (y ? Math.log(p[i]!) : Math.log(1 - p[i]!)), 0) / labels.length;
    const accuracy = labels.filter((y, i) => (p[i]! > 0.5 ? 1 : 0) === y).length / labels.length;
    const result = trainStep(tf, model, tf.train.sgd(0.1), x, labels);
    expect(result.loss).toBeCloseTo(expected, 5);
    expect(result.accuracy).toBeCloseTo(accuracy, 10);
  });

  it('lowers the loss over steps and leaks no tensor', () => {
    const model = classifier(3, 'softmax');
    const optimizer = tf.train.adam(0.05);
    const x = X();
    const first = trainStep(tf, model, optimizer, x, LABELS);
    // Adam makes its slot variables on the first step.
    const tensors = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 60; i++) last = trainStep(tf, model, optimizer, x, LABELS);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(last.loss).toBeLessThan(first.loss * 0.5);
    expect(last.accuracy).toBeGreaterThanOrEqual(first.accuracy);
  });

  it('takes several inputs (a suffix with more than one boundary tensor)', () => {
    const a = tf.input({ shape: [2] });
    const b = tf.input({ shape: [3] });
    const joined = tf.layers.concatenate().apply([a, b]) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 2, activation: 'softmax' }).apply(joined) as tf.SymbolicTensor;
    const model = tf.model({ inputs: [a, b], outputs: out });
    const result = trainStep(tf, model, tf.train.sgd(0.1), [tf.ones([2, 2]), tf.zeros([2, 3])], [0, 1]);
    expect(Number.isFinite(result.loss)).toBe(true);
  });
});
