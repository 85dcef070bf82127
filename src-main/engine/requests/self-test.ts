import type { EngineSelfTest, SelfTestParams } from '../../api/types/jobs';
import type { EngineContext } from '../worker/engine-context';

/**
 * The engine's `selfTest` request: `iterations` square matrix products of side `size`,
 * timed and reported as GFLOP/s. Used by `graft doctor --speed` and as a cancellable,
 * pausable long job.
 */
export async function runSelfTest(params: SelfTestParams, ctx: EngineContext<'selfTest'>): Promise<EngineSelfTest> {
  const size = Math.max(8, params.size);
  const { iterations } = params;
  const { tf } = ctx;
  const a = tf.randomNormal([size, size], 0, 1, 'float32', 1);
  const b = tf.randomNormal([size, size], 0, 1, 'float32', 2);
  let busySeconds = 0;
  try {
    for (let i = 0; i < iterations; i++) {
      await ctx.checkpoint();
      // Time only the products, so a pause does not lower the figure.
      const started = performance.now();
      const c = tf.matMul(a, b);
      await c.data();
      c.dispose();
      busySeconds += (performance.now() - started) / 1000;
      ctx.emit({ done: i + 1, total: iterations, message: `matmul ${size}×${size}` });
    }
  } finally {
    a.dispose();
    b.dispose();
  }
  const flops = 2 * size ** 3 * iterations;
  return { backend: ctx.backend, iterations, seconds: busySeconds, gflops: flops / Math.max(busySeconds, 1e-9) / 1e9 };
}
