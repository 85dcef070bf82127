/** Backend switching and numeric comparison for tests that check one backend against another. */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';

let wasmLoaded: Promise<unknown> | null = null;

/** Makes `name` ('cpu' or 'wasm') the active backend; the wasm package is loaded on first use. */
export async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  if (name === 'wasm') await (wasmLoaded ??= import('@tensorflow/tfjs-backend-wasm'));
  if (!(await tf.setBackend(name))) throw new Error(`The ${name} backend did not initialise`);
  await tf.ready();
}

/**
 * Runs `wasm` on the wasm backend and `cpu` (the same code unless given) on cpu, and leaves wasm
 * active: the two sides of a wasm-against-cpu check.
 */
export async function onBoth<T>(wasm: () => T, cpu: () => T = wasm): Promise<{ wasm: T; cpu: T }> {
  await useBackend('wasm');
  const a = wasm();
  await useBackend('cpu');
  const b = cpu();
  await useBackend('wasm');
  return { wasm: a, cpu: b };
}

/** Reproducible values: a seeded normal draw, the same on every backend. */
export function seededValues(shape: number[], seed: number): Float32Array {
  // Not returned from tidy: tidy walks a returned typed array element by element.
  const t = tf.randomNormal(shape, 0, 1, 'float32', seed);
  const values = t.dataSync() as Float32Array;
  t.dispose();
  return values;
}

/** Largest absolute difference relative to the largest magnitude of `expected`. */
export function relativeDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return diff / (scale || 1);
}

/**
 * Gradients of sum(f(inputs) · r) with respect to every input, on the active backend, as plain
 * arrays; r is a fixed seeded tensor so that dy is not uniform.
 */
export function gradientsOf(f: (...inputs: Tensor[]) => Tensor, inputs: { shape: number[]; values: Float32Array }[]): Float32Array[] {
  return tf.tidy(() => {
    const xs = inputs.map((i) => tf.tensor(i.values, i.shape));
    const outShape = f(...xs).shape;
    const r = tf.tensor(seededValues(outShape, 99), outShape);
    const grads = tf.grads((...args: Tensor[]) => tf.sum(tf.mul(f(...args), r)))(xs);
    return grads.map((g) => g.dataSync() as Float32Array);
  });
}
