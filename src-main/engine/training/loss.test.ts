import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  binaryCrossEntropy,
  binaryCrossEntropyPerSample,
  categoricalCrossEntropy,
  categoricalCrossEntropyPerSample,
  type CrossEntropyOptions,
} from './loss';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Runs a loss on plain arrays and returns its values (per sample or the scalar). */
function values(
  fn: typeof categoricalCrossEntropyPerSample | typeof categoricalCrossEntropy,
  output: number[][] | number[],
  labels: number[],
  options: Omit<CrossEntropyOptions, 'sampleWeights'> & { weights?: number[] },
): number[] {
  return tf.tidy(() => {
    const x = Array.isArray(output[0]) ? tf.tensor2d(output as number[][]) : tf.tensor1d(output as number[]);
    const w = options.weights ? tf.tensor1d(options.weights) : undefined;
    return Array.from(fn(tf, x, tf.tensor1d(labels, 'int32'), { ...options, sampleWeights: w }).dataSync());
  });
}

function expectClose(actual: number[], expected: number[], digits = 5): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(v, `element ${i}`).toBeCloseTo(expected[i]!, digits));
}

// log(e + e² + e³) = 3 + log(1 + e⁻¹ + e⁻²)
const LSE_123 = 3 + Math.log(1 + Math.exp(-1) + Math.exp(-2));

describe('categorical cross-entropy', () => {
  it('from logits equals logsumexp(z) − z_y', () => {
    const out = values(categoricalCrossEntropyPerSample, [[1, 2, 3], [1, 2, 3], [0, 0, 0]], [2, 0, 1], { fromLogits: true });
    expectClose(out, [LSE_123 - 3, LSE_123 - 1, Math.log(3)]);
  });

  it('applies Keras label smoothing y·(1−ε) + ε/K', () => {
    // ε = 0.3, K = 3: target (0.1, 0.1, 0.8); loss = lse − Σ tᵢ zᵢ = lse − 2.7.
    const out = values(categoricalCrossEntropyPerSample, [[1, 2, 3]], [2], { fromLogits: true, labelSmoothing: 0.3 });
    expectClose(out, [LSE_123 - 2.7]);
  });

  it('from probabilities renormalises and takes −log p_y', () => {
    const out = values(categoricalCrossEntropyPerSample, [[0.2, 0.3, 0.5], [0.4, 0.6, 1.0]], [1, 1], { fromLogits: false });
    expectClose(out, [-Math.log(0.3), -Math.log(0.3)]);
    const smoothed = values(categoricalCrossEntropyPerSample, [[0.2, 0.3, 0.5]], [1], { fromLogits: false, labelSmoothing: 0.3 });
    expectClose(smoothed, [-(0.1 * Math.log(0.2) + 0.8 * Math.log(0.3) + 0.1 * Math.log(0.5))]);
  });

  it('from probabilities clips at 1e-7 like Keras; from logits stays exact for huge logits', () => {
    const clipped = values(categoricalCrossEntropyPerSample, [[1, 0, 0]], [1], { fromLogits: false });
    // float32 holds 1e-7 to about 1e-14 absolute: −log of it is 16.1181 to 4 places.
    expectClose(clipped, [-Math.log(1e-7)], 3);
    const huge = values(categoricalCrossEntropyPerSample, [[1000, 0, -1000], [1000, 0, -1000]], [2, 0], { fromLogits: true });
    expectClose(huge, [2000, 0], 3);
  });

  it('agrees between logits and their softmax for moderate values', () => {
    const logits = [[0.5, -1.2, 2.0, 0.1], [3.0, 2.9, -4.0, 0.0]];
    const probs = tf.tidy(() => tf.softmax(tf.tensor2d(logits)).arraySync() as number[][]);
    const a = values(categoricalCrossEntropyPerSample, logits, [2, 1], { fromLogits: true, labelSmoothing: 0.1 });
    const b = values(categoricalCrossEntropyPerSample, probs, [2, 1], { fromLogits: false, labelSmoothing: 0.1 });
    expectClose(a, b, 5);
  });

  it('reduces as Keras "sum over batch size": Σ w·loss / N', () => {
    const perSample = [LSE_123 - 3, LSE_123 - 1];
    const plain = values(categoricalCrossEntropy, [[1, 2, 3], [1, 2, 3]], [2, 0], { fromLogits: true });
    expectClose(plain, [(perSample[0]! + perSample[1]!) / 2]);
    const weighted = values(categoricalCrossEntropy, [[1, 2, 3], [1, 2, 3]], [2, 0], { fromLogits: true, weights: [2, 0.5] });
    expectClose(weighted, [(2 * perSample[0]! + 0.5 * perSample[1]!) / 2]);
  });

  it('has gradient w·(softmax(z) − target) / N with respect to the logits', () => {
    const z = tf.tensor2d([[1, 2, 3], [0.5, 0, -0.5]]);
    const labels = tf.tensor1d([2, 0], 'int32');
    const weights = tf.tensor1d([2, 1]);
    const grad = tf.grad((x: tf.Tensor) => categoricalCrossEntropy(tf, x, labels, { fromLogits: true, labelSmoothing: 0.3, sampleWeights: weights }))(z);
    const expected = tf.tidy(() => {
      const target = tf.tensor2d([[0.1, 0.1, 0.8], [0.8, 0.1, 0.1]]);
      return tf.div(tf.mul(tf.sub(tf.softmax(z), target), tf.tensor2d([[2], [1]])), 2);
    });
    expectClose(Array.from(grad.dataSync()), Array.from(expected.dataSync()), 6);
    tf.dispose([z, labels, weights, grad, expected]);
  });

  it('leaves no tensors behind', () => {
    const before = tf.memory().numTensors;
    values(categoricalCrossEntropy, [[1, 2]], [0], { fromLogits: false, labelSmoothing: 0.1, weights: [3] });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a smoothing outside [0, 1) and a non-2-D output', () => {
    expect(() => values(categoricalCrossEntropyPerSample, [[1, 2]], [0], { fromLogits: true, labelSmoothing: 1 })).toThrow(RangeError);
    expect(() => values(categoricalCrossEntropyPerSample, [1, 2], [0], { fromLogits: true })).toThrow(RangeError);
    expect(() => values(categoricalCrossEntropyPerSample, [[1, 2]], [0, 1], { fromLogits: true })).toThrow(RangeError);
  });
});

describe('binary cross-entropy', () => {
  it('from logits is softplus-stable: hand values and huge logits', () => {
    const out = values(binaryCrossEntropyPerSample, [0.5, -2, 3, 0, 500, -500], [1, 1, 0, 0, 0, 0], { fromLogits: true });
    expectClose(out, [Math.log1p(Math.exp(-0.5)), 2 + Math.log1p(Math.exp(-2)), 3 + Math.log1p(Math.exp(-3)), Math.log(2), 500, 0], 4);
  });

  it('smooths towards 0.5 (Keras): y=1, ε=0.2 gives target 0.9', () => {
    const out = values(binaryCrossEntropyPerSample, [0.5], [1], { fromLogits: true, labelSmoothing: 0.2 });
    expectClose(out, [0.5 - 0.45 + Math.log1p(Math.exp(-0.5))]);
  });

  it('from probabilities accepts [N, 1] and clips like Keras', () => {
    const out = values(binaryCrossEntropyPerSample, [[0.8], [0.8], [1], [0]], [1, 0, 0, 1], { fromLogits: false });
    // In float32, 1 − 1e-7 rounds to 1 − 2⁻²³, so p = 1 with label 0 costs −log(2⁻²³) ≈ 15.94 (as in Keras on float32).
    const upper = 1 - Math.fround(1 - 1e-7);
    expectClose(out, [-Math.log(0.8), -Math.log(0.2), -Math.log(upper), -Math.log(1e-7)], 3);
  });

  it('agrees between logits and sigmoid probabilities, and reduces with weights', () => {
    const logits = [0.3, -1.1, 2.2];
    const probs = logits.map((z) => 1 / (1 + Math.exp(-z)));
    const a = values(binaryCrossEntropy, logits, [1, 0, 1], { fromLogits: true, weights: [1, 2, 3] });
    const b = values(binaryCrossEntropy, probs, [1, 0, 1], { fromLogits: false, weights: [1, 2, 3] });
    const perSample = values(binaryCrossEntropyPerSample, logits, [1, 0, 1], { fromLogits: true });
    expectClose(a, b, 5);
    expectClose(a, [(perSample[0]! + 2 * perSample[1]! + 3 * perSample[2]!) / 3]);
  });

  it('refuses outputs and labels of different sizes', () => {
    expect(() => values(binaryCrossEntropyPerSample, [0.1, 0.2], [1], { fromLogits: true })).toThrow(RangeError);
  });
});
