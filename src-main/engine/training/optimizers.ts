/**
 * tfjs optimizers from a plain spec, and changing their learning rate between steps.
 *
 * tfjs 4.22 keeps the rate in two ways: Adam and RMSprop read their `learningRate` field on
 * every `applyGradients`, while SGD and Momentum cache `−learningRate` as a kept scalar that
 * only `setLearningRate()` refreshes — assigning the field alone leaves them on the old rate
 * (a test pins this). `setLearningRate` below handles both.
 *
 * Momentum differs from Keras when the rate changes: tfjs (like PyTorch) accumulates raw
 * gradients and scales the whole velocity by the current rate, Keras's velocity carries the
 * rates it was built with. Both agree under a constant rate.
 */
import type { Optimizer, Tensor } from '@tensorflow/tfjs';
import { assertNever, GraftError } from '../../api/errors';
import type { OptimizerSpec } from '../../api/types/training';
import type { Tf } from '../backend';

/** Defaults: Keras's, except SGD's momentum (the wizard offers "SGD with momentum"). */
export const OPTIMIZER_DEFAULTS = {
  sgdMomentum: 0.9,
  rmspropMomentum: 0,
  beta1: 0.9,
  beta2: 0.999,
  rho: 0.9,
  epsilon: 1e-7,
} as const;

function check(spec: OptimizerSpec): void {
  const fail = (message: string): never => {
    throw new GraftError('bad-request', message);
  };
  if (!(Number.isFinite(spec.learningRate) && spec.learningRate > 0)) fail(`The learning rate must be a positive number; got ${spec.learningRate}.`);
  const unit = (name: string, value: number | undefined, closedAtZero: boolean): void => {
    if (value === undefined) return;
    if (!(Number.isFinite(value) && value < 1 && (closedAtZero ? value >= 0 : value > 0))) fail(`${name} must be ${closedAtZero ? 'at least 0' : 'above 0'} and below 1; got ${value}.`);
  };
  unit('Momentum', spec.momentum, true);
  unit('Adam beta1', spec.beta1, true);
  unit('Adam beta2', spec.beta2, true);
  unit('RMSprop rho', spec.rho, false);
  if (spec.epsilon !== undefined && !(spec.epsilon > 0)) fail(`Epsilon must be a positive number; got ${spec.epsilon}.`);
}

/** A new tfjs optimizer for `spec`; the caller owns it and disposes it after the run. */
export function createOptimizer(tf: Tf, spec: OptimizerSpec): Optimizer {
  check(spec);
  const d = OPTIMIZER_DEFAULTS;
  switch (spec.name) {
    case 'adam':
      return tf.train.adam(spec.learningRate, spec.beta1 ?? d.beta1, spec.beta2 ?? d.beta2, spec.epsilon ?? d.epsilon);
    case 'sgd': {
      const momentum = spec.momentum ?? d.sgdMomentum;
      return momentum > 0 ? tf.train.momentum(spec.learningRate, momentum, spec.nesterov ?? false) : tf.train.sgd(spec.learningRate);
    }
    case 'rmsprop':
      return tf.train.rmsprop(spec.learningRate, spec.rho ?? d.rho, spec.momentum ?? d.rmspropMomentum, spec.epsilon ?? d.epsilon, false);
    default:
      return assertNever(spec.name, 'optimizer');
  }
}

/** The two ways tfjs optimizers hold their rate (the fields are protected in tfjs's typings). */
interface RateHolder {
  learningRate: number;
  setLearningRate?: (learningRate: number) => void;
  /** SGD and Momentum: the cached −learningRate scalar. */
  c?: Tensor;
}

/** The learning rate the optimizer will use for its next step. */
export function getLearningRate(optimizer: Optimizer): number {
  return (optimizer as unknown as RateHolder).learningRate;
}

/** Sets the learning rate used from the next `applyGradients` on, for every tfjs optimizer. */
export function setLearningRate(optimizer: Optimizer, learningRate: number): void {
  if (!(Number.isFinite(learningRate) && learningRate >= 0)) throw new RangeError(`Learning rate must be a finite number ≥ 0; got ${learningRate}.`);
  const holder = optimizer as unknown as RateHolder;
  if (typeof holder.setLearningRate === 'function') holder.setLearningRate(learningRate);
  else holder.learningRate = learningRate;
}

/**
 * Disposes an optimizer and its state. tfjs 4.22's Momentum `dispose()` forgets the rate
 * scalar it inherits from SGD, leaking one tensor per optimizer; this frees it too.
 */
export function disposeOptimizer(optimizer: Optimizer): void {
  optimizer.dispose();
  const rate = (optimizer as unknown as RateHolder).c;
  if (rate && !rate.isDisposed) rate.dispose();
}
