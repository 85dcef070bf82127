import type { EngineSelfTest } from '../../api/contract';
import { GraftError } from '../../api/errors';
import type { EngineContext } from '../worker/engine-context';

/** Yields to the event loop so a cancel message can arrive between synchronous tensor ops. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Throws the 'cancelled' error when the request was cancelled. */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new GraftError('cancelled', 'Cancelled.');
}

/**
 * Measures the backend: `iterations` square matrix products of side `size`, timed,
 * reported as GFLOP/s. Used by `graft doctor --speed` and as a cancellable long job.
 */
export async function runSelfTest(
  params: { size: number; iterations: number },
  ctx: EngineContext,
): Promise<EngineSelfTest> {
  const size = Math.max(8, Math.min(4096, Math.floor(params.size)));
  const iterations = Math.max(1, Math.floor(params.iterations));
  const { tf } = ctx;
  const a = tf.randomNormal([size, size], 0, 1, 'float32', 1);
  const b = tf.randomNormal([size, size], 0, 1, 'float32', 2);
  const started = performance.now();
  try {
    for (let i = 0; i < iterations; i++) {
      throwIfCancelled(ctx.signal);
      const c = tf.matMul(a, b);
      await c.data();
      c.dispose();
      ctx.progress({ done: i + 1, total: iterations, message: `matmul ${size}×${size}` });
      await yieldToEventLoop();
    }
  } finally {
    a.dispose();
    b.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  const flops = 2 * size ** 3 * iterations;
  return { backend: ctx.backend, iterations, seconds, gflops: flops / seconds / 1e9 };
}
