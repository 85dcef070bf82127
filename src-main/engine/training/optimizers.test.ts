import * as tf from '@tensorflow/tfjs';
import type { Optimizer } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GraftError } from '../../api/errors';
import type { OptimizerSpec } from '../../api/types/training';
import { createOptimizer, disposeOptimizer, getLearningRate, setLearningRate } from './optimizers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * Takes two steps on one weight starting at 0 with gradient 1, at rate `first` then `second`
 * (changed through `change`), and returns the two weight changes.
 */
function twoSteps(optimizer: Optimizer, first: number, second: number, change = setLearningRate): [number, number] {
  const w = tf.tidy(() => tf.variable(tf.zeros([1])));
  const step = (): number => {
    const before = w.dataSync()[0]!;
    tf.tidy(() => optimizer.applyGradients({ [w.name]: tf.ones([1]) }));
    return w.dataSync()[0]! - before;
  };
  setLearningRate(optimizer, first);
  const a = step();
  change(optimizer, second);
  const b = step();
  w.dispose();
  disposeOptimizer(optimizer);
  return [a, b];
}

describe('createOptimizer and setLearningRate', () => {
  it('Adam honours a new rate (bias-corrected m/√v is 1 for a constant gradient)', () => {
    const [a, b] = twoSteps(createOptimizer(tf, { name: 'adam', learningRate: 1 }), 0.1, 0.01);
    // float32: 1 + 1e-7 and the moment arithmetic round at about 1e-6 relative.
    expect(a).toBeCloseTo(-0.1, 5);
    expect(b).toBeCloseTo(-0.01, 6);
  });

  it('SGD with momentum (default 0.9) honours a new rate: the velocity 1.9 is scaled by it', () => {
    const optimizer = createOptimizer(tf, { name: 'sgd', learningRate: 1 });
    expect(optimizer.getClassName()).toBe('Momentum');
    const [a, b] = twoSteps(optimizer, 0.1, 0.01);
    expect(a).toBeCloseTo(-0.1, 6);
    expect(b).toBeCloseTo(-0.019, 6);
  });

  it('plain SGD (momentum 0) honours a new rate', () => {
    const optimizer = createOptimizer(tf, { name: 'sgd', learningRate: 1, momentum: 0 });
    expect(optimizer.getClassName()).toBe('SGD');
    const [a, b] = twoSteps(optimizer, 0.1, 0.01);
    expect(a).toBeCloseTo(-0.1, 6);
    expect(b).toBeCloseTo(-0.01, 6);
  });

  it('RMSprop honours a new rate (mean squares 0.1 then 0.19)', () => {
    const [a, b] = twoSteps(createOptimizer(tf, { name: 'rmsprop', learningRate: 1 }), 0.1, 0.01);
    expect(a).toBeCloseTo(-0.1 / Math.sqrt(0.1), 5);
    expect(b).toBeCloseTo(-0.01 / Math.sqrt(0.19), 5);
  });

  it('tfjs SGD ignores a bare assignment of learningRate, which is why setLearningRate calls its setter', () => {
    const assignOnly = (optimizer: Optimizer, lr: number): void => {
      (optimizer as unknown as { learningRate: number }).learningRate = lr;
    };
    const [, b] = twoSteps(createOptimizer(tf, { name: 'sgd', learningRate: 1, momentum: 0 }), 0.1, 0.01, assignOnly);
    expect(b).toBeCloseTo(-0.1, 6);
  });

  it('reports the current rate and passes Keras settings through', () => {
    const optimizer = createOptimizer(tf, { name: 'rmsprop', learningRate: 0.002, rho: 0.8, momentum: 0.5, epsilon: 1e-6 });
    expect(getLearningRate(optimizer)).toBe(0.002);
    setLearningRate(optimizer, 0.0005);
    expect(getLearningRate(optimizer)).toBe(0.0005);
    expect(optimizer.getConfig()).toMatchObject({ learningRate: 0.0005, decay: 0.8, momentum: 0.5, epsilon: 1e-6, centered: false });
    optimizer.dispose();
    const adam = createOptimizer(tf, { name: 'adam', learningRate: 0.001 });
    expect(adam.getConfig()).toMatchObject({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    adam.dispose();
    const nesterov = createOptimizer(tf, { name: 'sgd', learningRate: 0.01, momentum: 0.8, nesterov: true });
    expect(nesterov.getConfig()).toMatchObject({ momentum: 0.8, useNesterov: true });
    nesterov.dispose();
  });

  it.each(['adam', 'sgd', 'rmsprop'] as const)('%s leaks no tensors across rate changes and disposal', (name) => {
    const before = tf.memory().numTensors;
    twoSteps(createOptimizer(tf, { name, learningRate: 0.1 }), 0.1, 0.05);
    twoSteps(createOptimizer(tf, { name, learningRate: 0.1, momentum: 0 }), 0.1, 0.05);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('frees the rate scalar that tfjs Momentum.dispose() forgets', () => {
    const before = tf.memory().numTensors;
    createOptimizer(tf, { name: 'sgd', learningRate: 0.1 }).dispose();
    // If tfjs fixes this, disposeOptimizer's extra step becomes a no-op and this canary can go.
    expect(tf.memory().numTensors).toBe(before + 1);
    const leakedBefore = tf.memory().numTensors;
    disposeOptimizer(createOptimizer(tf, { name: 'sgd', learningRate: 0.1 }));
    expect(tf.memory().numTensors).toBe(leakedBefore);
  });

  it.each([
    { name: 'adam', learningRate: 0 },
    { name: 'adam', learningRate: Number.POSITIVE_INFINITY },
    { name: 'sgd', learningRate: 0.1, momentum: 1 },
    { name: 'adam', learningRate: 0.1, beta2: -0.1 },
    { name: 'rmsprop', learningRate: 0.1, rho: 0 },
    { name: 'rmsprop', learningRate: 0.1, epsilon: 0 },
  ] as OptimizerSpec[])('refuses %j with a message', (spec) => {
    expect(() => createOptimizer(tf, spec)).toThrow(GraftError);
  });
});
