import * as tf from '@tensorflow/tfjs';
import type { LayersModel, SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fitSuffix, trainStep, type FitData, type FitOptions, type StepOptions } from './fit-loop';
import { seededValues, useBackend } from './test-support/tf-backends';
import { withLinearOutput } from './training-model';

beforeAll(async () => {
  await useBackend('cpu');
});

/** A dense classifier over 4 features with fixed weights. */
function classifier(units: number, activation: 'softmax' | 'sigmoid'): LayersModel {
  const input = tf.input({ shape: [4] });
  const out = tf.layers.dense({ units, activation, kernelInitializer: tf.initializers.glorotUniform({ seed: 9 }) }).apply(input) as SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

const X = seededValues([6, 4], 1);
const LABELS = [0, 2, 1, 2, 0, 1];
const SOFTMAX: StepOptions = { classWeights: [], output: 'softmax', fromLogits: false, labelSmoothing: 0 };

function predict(model: LayersModel, values: Float32Array, shape: number[]): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor(values, shape)) as Tensor).dataSync() as Float32Array);
}

/** Cross-entropy computed by hand from the model's probabilities (Keras's formula, no clipping needed here). */
function expectedLoss(probabilities: Float32Array, classes: number, labels: number[], smoothing: number, weights: number[]): number {
  let sum = 0;
  labels.forEach((label, i) => {
    for (let k = 0; k < classes; k++) {
      const target = (k === label ? 1 : 0) * (1 - smoothing) + smoothing / classes;
      sum -= (weights[label] ?? 1) * target * Math.log(probabilities[i * classes + k]!);
    }
  });
  return sum / labels.length;
}

/** How many rows' highest probability is at their label. */
function hitsOf(probabilities: Float32Array, classes: number, labels: number[]): number {
  return labels.filter((label, i) => {
    const row = Array.from(probabilities.subarray(i * classes, (i + 1) * classes));
    return row.indexOf(Math.max(...row)) === label;
  }).length;
}

describe('trainStep', () => {
  it('returns the batch loss (label smoothing, class weights) and hits before the update', () => {
    const model = classifier(3, 'softmax');
    const probabilities = predict(model, X, [6, 4]);
    const classWeights = [1, 2, 0.5];
    const result = trainStep(tf, model, tf.train.sgd(0.1), [X], LABELS, { ...SOFTMAX, labelSmoothing: 0.1, classWeights });
    expect(result.loss).toBeCloseTo(expectedLoss(probabilities, 3, LABELS, 0.1, classWeights), 5);
    expect(result.hits).toBe(hitsOf(probabilities, 3, LABELS));
    // The step changed the model.
    expect(predict(model, X, [6, 4])).not.toEqual(probabilities);
    model.dispose();
  });

  it('trains from logits through withLinearOutput, and the softmax is back afterwards', () => {
    const model = classifier(3, 'softmax');
    const probabilities = predict(model, X, [6, 4]);
    const asLogits = <T>(fn: () => T) => withLinearOutput(tf, model, fn);
    const result = trainStep(tf, model, tf.train.sgd(0.1), [X], LABELS, { ...SOFTMAX, fromLogits: true, asLogits });
    expect(result.loss).toBeCloseTo(expectedLoss(probabilities, 3, LABELS, 0, []), 5);
    const after = predict(model, X, [6, 4]);
    for (let i = 0; i < 6; i++) expect(after[i * 3]! + after[i * 3 + 1]! + after[i * 3 + 2]!).toBeCloseTo(1, 5);
    model.dispose();
  });

  it('uses binary cross-entropy for one sigmoid unit, from probabilities or logits alike', () => {
    const labels = [0, 1, 1, 0, 1, 0];
    const expected = (p: Float32Array) => -labels.reduce((sum, y, i) => sum + (y ? Math.log(p[i]!) : Math.log(1 - p[i]!)), 0) / labels.length;
    const hits = (p: Float32Array) => labels.filter((y, i) => (p[i]! > 0.5 ? 1 : 0) === y).length;
    const sigmoid: StepOptions = { ...SOFTMAX, output: 'sigmoid' };
    const fromProbabilities = classifier(1, 'sigmoid');
    const p = predict(fromProbabilities, X, [6, 4]);
    const a = trainStep(tf, fromProbabilities, tf.train.sgd(0.1), [X], labels, sigmoid);
    expect(a.loss).toBeCloseTo(expected(p), 5);
    expect(a.hits).toBe(hits(p));
    const fromLogits = classifier(1, 'sigmoid');
    const b = trainStep(tf, fromLogits, tf.train.sgd(0.1), [X], labels, { ...sigmoid, fromLogits: true, asLogits: (fn) => withLinearOutput(tf, fromLogits, fn) });
    expect(b.loss).toBeCloseTo(expected(p), 5);
    expect(b.hits).toBe(hits(p));
    fromProbabilities.dispose();
    fromLogits.dispose();
  });

  it('lowers the loss over steps and leaks no tensor', () => {
    const model = classifier(3, 'softmax');
    const optimizer = tf.train.adam(0.05);
    const first = trainStep(tf, model, optimizer, [X], LABELS, SOFTMAX);
    // Adam makes its slot variables on the first step.
    const tensors = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 60; i++) last = trainStep(tf, model, optimizer, [X], LABELS, SOFTMAX);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(last.loss).toBeLessThan(first.loss * 0.5);
    expect(last.hits).toBeGreaterThanOrEqual(first.hits);
    optimizer.dispose();
    model.dispose();
  });

  it('takes several inputs (a suffix with more than one boundary tensor), in the suffix input order', () => {
    const a = tf.input({ shape: [2] });
    const b = tf.input({ shape: [3] });
    const joined = tf.layers.concatenate().apply([a, b]) as SymbolicTensor;
    const out = tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }).apply(joined) as SymbolicTensor;
    const model = tf.model({ inputs: [a, b], outputs: out });
    const first = seededValues([3, 2], 2);
    const second = seededValues([3, 3], 3);
    const probabilities = tf.tidy(() => (model.predict([tf.tensor(first, [3, 2]), tf.tensor(second, [3, 3])]) as Tensor).dataSync() as Float32Array);
    const result = trainStep(tf, model, tf.train.sgd(0.1), [first, second], [0, 1, 1], SOFTMAX);
    expect(result.loss).toBeCloseTo(expectedLoss(probabilities, 2, [0, 1, 1], 0, []), 5);
    model.dispose();
  });
});

describe('fitSuffix', () => {
  it('trains over epochs and reports the validation loss and accuracy of the trained suffix (inference mode, no smoothing)', async () => {
    const model = classifier(3, 'softmax');
    const features = seededValues([12, 4], 5);
    const examples = Array.from({ length: 12 }, (_, i) => ({ key: `k${i}`, variants: 1, label: i % 3 }));
    const data: FitData = {
      train: examples.slice(0, 8),
      validation: examples.slice(8),
      read: async (rows) => [Float32Array.from(rows.flatMap((r) => Array.from(features.subarray(Number(r.key.slice(1)) * 4, Number(r.key.slice(1)) * 4 + 4))))],
    };
    const options: FitOptions = {
      ...SOFTMAX,
      stage: 'head',
      firstEpoch: 0,
      epochs: 3,
      totalEpochs: 3,
      batchSize: 3,
      seed: 1,
      baseLr: 0.05,
      schedule: { kind: 'constant' },
      labelSmoothing: 0.2,
      classWeights: [1, 1, 1],
      classes: 3,
      earlyStopping: null,
    };
    const optimizer = tf.train.adam(0.05);
    const tensors = tf.memory().numTensors;
    const epochs: number[] = [];
    const outcome = await fitSuffix(tf, model, optimizer, data, options, {
      checkpoint: async () => undefined,
      onBatch: () => undefined,
      onEpoch: async (record) => {
        epochs.push(record.epoch);
      },
    });
    expect(epochs).toEqual([0, 1, 2]);
    expect(outcome.history.map((h) => h.loss).every(Number.isFinite)).toBe(true);
    // Adam's two slots per weight are the only tensors the loop leaves (kernel and bias).
    expect(tf.memory().numTensors).toBe(tensors + 4);
    const validationLabels = data.validation.map((e) => e.label);
    const probabilities = predict(model, features.slice(8 * 4), [4, 4]);
    const last = outcome.history.at(-1)!;
    expect(last.valLoss).toBeCloseTo(expectedLoss(probabilities, 3, validationLabels, 0, []), 5);
    expect(last.valAcc).toBe(hitsOf(probabilities, 3, validationLabels) / 4);
    optimizer.dispose();
    model.dispose();
  });
});
