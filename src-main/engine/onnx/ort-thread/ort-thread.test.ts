import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../convert/graph-builder';
import type { OnnxRuntime } from '../ort-loader';
import { openOrtSession } from '../ort-session';
import { requireOnnxRuntime } from '../test-support/ort-runtime';
import { OrtThread } from './ort-thread';

let runtime: OnnxRuntime;
const thread = new OrtThread();
beforeAll(async () => {
  runtime = await requireOnnxRuntime();
});
afterAll(async () => {
  await thread.terminate();
});

/** x [N, 3] → Relu → y, and Sigmoid → z: two outputs. */
function twoOutputs(): Uint8Array {
  const builder = new GraphBuilder();
  builder.reserve('x');
  builder.addNodeNamed('Relu', ['x'], 'y');
  builder.addNodeNamed('Sigmoid', ['x'], 'z');
  return builder.toBytes([{ name: 'x', dims: ['N', 3] }], [{ name: 'y', dims: ['N', 3] }, { name: 'z', dims: ['N', 3] }], 'two');
}

/** x [n, n] multiplied by itself `times` times: a pass long enough to watch the calling thread during it. */
function slowGraph(n: number, times: number): Uint8Array {
  const builder = new GraphBuilder();
  builder.reserve('x');
  let value = 'x';
  for (let i = 0; i < times; i++) value = builder.addNode('MatMul', [value, 'x'], `m${i}`).outputs[0]!;
  builder.addNodeNamed('Identity', [value], 'y');
  return builder.toBytes([{ name: 'x', dims: [n, n] }], [{ name: 'y', dims: [n, n] }], 'slow');
}

describe('OrtThread', () => {
  it('runs a session on its own thread with the same outputs as on the calling thread, leaving the input as it was', async () => {
    const bytes = twoOutputs();
    const input = Float32Array.of(-1, 2, -3, 4, 0.5, -6);
    const onThread = await thread.open(bytes, { threads: 1 });
    const here = await openOrtSession(runtime, bytes, { threads: 1 });
    expect(onThread.inputName).toBe('x');
    expect(onThread.outputNames).toEqual(['y', 'z']);
    const a = await onThread.run(input, [2, 3]);
    const b = await here.run(input, [2, 3]);
    expect(a).toEqual(b);
    expect(input).toEqual(Float32Array.of(-1, 2, -3, 4, 0.5, -6));
    await Promise.all([onThread.dispose(), here.dispose()]);
    await expect(onThread.run(input, [2, 3])).rejects.toThrow(/disposed/);
  });

  it('keeps the calling thread free while a pass runs', async () => {
    const n = 700;
    const session = await thread.open(slowGraph(n, 12), { threads: 1 });
    const x = Float32Array.from({ length: n * n }, (_, i) => ((i % 7) - 3) / (n * 4));
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 5);
    const started = performance.now();
    await session.run(x, [n, n]);
    const elapsed = performance.now() - started;
    clearInterval(timer);
    await session.dispose();
    // On the calling thread no timer could fire until the pass returned; here they keep firing.
    expect(ticks).toBeGreaterThanOrEqual(Math.min(3, Math.floor(elapsed / 20)));
    expect(ticks).toBeGreaterThan(0);
  });

  it('passes errors back with their message, and fails calls in flight when the thread stops', async () => {
    const session = await thread.open(twoOutputs());
    await expect(session.run(new Float32Array(6), [3, 3])).rejects.toThrow(/size|length|shape/i);
    await expect(thread.open(Uint8Array.of(1, 2, 3))).rejects.toThrow();
    const slow = await thread.open(slowGraph(600, 40), { threads: 1 });
    const pending = slow.run(new Float32Array(600 * 600), [600, 600]);
    await thread.terminate();
    await expect(pending).rejects.toMatchObject({ code: 'engine-crashed' });
    // The next use starts a new thread.
    const again = await thread.open(twoOutputs());
    expect(await again.run(Float32Array.of(1, -1, 1), [1, 3])).toHaveLength(2);
    await again.dispose();
  });
});

describe('OrtThread ordering', () => {
  it('closes a session only after the runs sent before the close', async () => {
    const local = new OrtThread();
    try {
      const session = await local.open(slowGraph(300, 6), { threads: 1 });
      const x = new Float32Array(300 * 300).fill(0.01);
      const runs = [session.run(x, [300, 300]), session.run(x, [300, 300])];
      const closed = session.dispose();
      const outputs = await Promise.all(runs);
      await closed;
      // (c·J)^7 for the all-ones n×n matrix J is c^7·n^6·J.
      const expected = 0.01 ** 7 * 300 ** 6;
      for (const [y] of outputs) expect(Math.abs(y![0]! / expected - 1)).toBeLessThan(1e-4);
    } finally {
      await local.terminate();
    }
  });
});
