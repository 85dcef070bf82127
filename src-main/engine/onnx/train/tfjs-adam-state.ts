/**
 * Reads and writes the state of tfjs 4.22's Adam (its private fields, pinned by the tests in
 * onnx-stepper.test.ts), so Adam can run inside an ONNX Runtime step graph while checkpoints and
 * resuming keep using the tfjs optimizer exactly as before.
 */
import type { Optimizer, Variable } from '@tensorflow/tfjs';
import type { Tf } from '../../backend';
import type { AdamHyper } from './adam-update';

/** tfjs's AdamOptimizer as it is inside. */
interface TfjsAdam {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: Variable;
  accBeta2: Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: Variable } | undefined)[];
  iterations_: number | undefined;
}

/** Adam's state, per trained variable in the order the optimizer keeps its slots. */
export interface AdamState {
  moments1: Float32Array[];
  moments2: Float32Array[];
  /** β1ᵏ⁺¹ and β2ᵏ⁺¹ after k steps, as tfjs keeps them (float32 products). */
  beta1Power: number;
  beta2Power: number;
  iterations: number;
}

function inside(optimizer: Optimizer): TfjsAdam | null {
  const adam = optimizer as unknown as Partial<TfjsAdam>;
  const looksLikeAdam = optimizer.getClassName() === 'Adam' && adam.accBeta1 !== undefined && Array.isArray(adam.accumulatedFirstMoment) && Array.isArray(adam.accumulatedSecondMoment);
  return looksLikeAdam ? (adam as TfjsAdam) : null;
}

/** Adam's constants when `optimizer` is tfjs's Adam, else null. */
export function adamHyper(optimizer: Optimizer): AdamHyper | null {
  const adam = inside(optimizer);
  return adam ? { beta1: adam.beta1, beta2: adam.beta2, epsilon: adam.epsilon } : null;
}

/** The optimizer's state for `variables` (its slot order): zero moments for slots it has not made yet. */
export function readAdamState(optimizer: Optimizer, variables: readonly Variable[]): AdamState {
  const adam = inside(optimizer);
  if (!adam) throw new Error('The optimizer is not tfjs Adam.');
  const slot = (slots: TfjsAdam['accumulatedFirstMoment'], i: number) => {
    const found = slots[i]?.variable;
    return found ? Float32Array.from(found.dataSync() as Float32Array) : new Float32Array(variables[i]!.size);
  };
  return {
    moments1: variables.map((_, i) => slot(adam.accumulatedFirstMoment, i)),
    moments2: variables.map((_, i) => slot(adam.accumulatedSecondMoment, i)),
    beta1Power: (adam.accBeta1.dataSync() as Float32Array)[0]!,
    beta2Power: (adam.accBeta2.dataSync() as Float32Array)[0]!,
    iterations: optimizer.iterations,
  };
}

/**
 * Puts `state` into the optimizer, making the slots tfjs would have made (named `<variable>/m`
 * and `/v`, not trainable) where it has none yet, so `getWeights` — what checkpoints save —
 * gives what tfjs's own steps would have left.
 */
export function writeAdamState(tf: Tf, optimizer: Optimizer, variables: readonly Variable[], state: AdamState): void {
  const adam = inside(optimizer);
  if (!adam) throw new Error('The optimizer is not tfjs Adam.');
  const put = (slots: TfjsAdam['accumulatedFirstMoment'], i: number, values: Float32Array, suffix: string) => {
    const value = tf.tensor(values.slice(), variables[i]!.shape, 'float32');
    const existing = slots[i];
    if (existing) existing.variable.assign(value);
    else slots[i] = { originalName: `${variables[i]!.name}/${suffix}`, variable: value.variable(false) };
    // The variable holds its own reference to the data.
    value.dispose();
  };
  variables.forEach((_, i) => {
    put(adam.accumulatedFirstMoment, i, state.moments1[i]!, 'm');
    put(adam.accumulatedSecondMoment, i, state.moments2[i]!, 'v');
  });
  tf.tidy(() => {
    adam.accBeta1.assign(tf.scalar(state.beta1Power));
    adam.accBeta2.assign(tf.scalar(state.beta2Power));
  });
  adam.iterations_ = state.iterations;
}
