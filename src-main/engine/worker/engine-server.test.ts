import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Tf } from '../backend';
import type { FromEngine, ToEngine } from '../protocol';
import type { EngineContext, EngineHandlers } from './engine-context';
import type { EnginePort } from './engine-port';
import { serveEngine } from './engine-server';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** An in-memory port: the test sends as the host and reads what the engine sent. */
function memoryPort() {
  let listener: (m: ToEngine) => void = () => {};
  const sent: FromEngine[] = [];
  const port: EnginePort = { send: (m) => sent.push(m), onMessage: (l) => (listener = l) };
  return { port, sent, send: (m: ToEngine) => listener(m) };
}

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

/** Handlers whose selfTest runs `iterations` steps of `size` ms each, reporting each step. */
function slowHandlers(dispose = vi.fn()): EngineHandlers {
  const notUsed = () => Promise.reject(new Error('not used'));
  return {
    handlers: {
      selfTest: async (params, ctx: EngineContext<'selfTest'>) => {
        for (let i = 1; i <= params.iterations; i++) {
          await ctx.checkpoint();
          await tick(params.size);
          ctx.emit({ done: i, total: params.iterations, message: '' });
        }
        return { backend: 'cpu', iterations: params.iterations, seconds: 0, gflops: 0 };
      },
      classify: notUsed,
      embed: notUsed,
      modelSummary: async (params) => ({ arch: params.arch }) as never,
      onnxCheck: notUsed,
      train: notUsed,
      evaluate: notUsed,
      lrFind: notUsed,
      augmentPreview: notUsed,
      gradCam: notUsed,
      downloadWeights: notUsed,
      weightsStatus: notUsed,
      export: notUsed,
      predict: notUsed,
      inspectModel: notUsed,
    },
    dispose,
  };
}

const selected = { tf: tf as unknown as Tf, backend: 'cpu' as const, pkg: 'cpu', tried: [] };

describe('serveEngine', () => {
  it('runs heavy requests one at a time, telling queued ones their place, and answers light ones at once', async () => {
    const { port, sent, send } = memoryPort();
    serveEngine(port, selected, slowHandlers());
    send({ kind: 'request', id: 1, name: 'selfTest', params: { size: 10, iterations: 3 } });
    send({ kind: 'request', id: 2, name: 'selfTest', params: { size: 1, iterations: 1 } });
    send({ kind: 'request', id: 3, name: 'selfTest', params: { size: 1, iterations: 1 } });
    send({ kind: 'request', id: 4, name: 'modelSummary', params: { arch: 'vgg16', includeTop: true } });
    await tick(100);
    const of = (id: number) => sent.filter((m) => 'id' in m && m.id === id).map((m) => m.kind === 'queued' ? `q${m.position}` : m.kind);
    expect(of(1)).toEqual(['qnull', 'event', 'event', 'event', 'reply']);
    expect(of(2)).toEqual(['q1', 'qnull', 'event', 'reply']);
    expect(of(3)).toEqual(['q2', 'q1', 'qnull', 'event', 'reply']);
    expect(of(4)).toEqual(['reply']);
    const replies = sent.filter((m) => m.kind === 'reply').map((m) => (m as { id: number }).id);
    expect(replies).toEqual([4, 1, 2, 3]);
  });

  it('checks params once against the parser table and refuses unknown requests', async () => {
    const { port, sent, send } = memoryPort();
    serveEngine(port, selected, slowHandlers());
    send({ kind: 'request', id: 1, name: 'selfTest', params: { size: '8', iterations: 1 } });
    send({ kind: 'request', id: 2, name: 'rm -rf' as never, params: {} });
    send({ kind: 'request', id: 3, name: 'modelSummary', params: { arch: 'alexnet', includeTop: true } });
    await tick(20);
    const errors = sent.filter((m) => m.kind === 'reply' && !m.ok).map((m) => (m as { error: { code: string; message: string } }).error);
    expect(errors).toEqual([
      { code: 'bad-request', message: expect.stringContaining('"size" must be') },
      { code: 'bad-request', message: 'Unknown engine request: rm -rf' },
      { code: 'bad-request', message: expect.stringContaining('"arch" must be one of') },
    ]);
  });

  it('pauses between steps and resumes, cancels a running or a queued request', async () => {
    const { port, sent, send } = memoryPort();
    serveEngine(port, selected, slowHandlers());
    send({ kind: 'request', id: 1, name: 'selfTest', params: { size: 5, iterations: 50 } });
    send({ kind: 'request', id: 2, name: 'selfTest', params: { size: 1, iterations: 1 } });
    await tick(30);
    send({ kind: 'control', id: 1, action: 'pause' });
    await tick(30);
    const held = sent.filter((m) => m.kind === 'event').length;
    await tick(60);
    expect(sent.filter((m) => m.kind === 'event').length).toBe(held);
    expect(sent).toContainEqual({ kind: 'paused', id: 1, paused: true });
    send({ kind: 'control', id: 2, action: 'cancel' });
    expect(sent.at(-1)).toEqual({ kind: 'reply', id: 2, ok: false, error: { code: 'cancelled', message: 'Cancelled.' } });
    send({ kind: 'control', id: 1, action: 'resume' });
    await tick(30);
    expect(sent.filter((m) => m.kind === 'event').length).toBeGreaterThan(held);
    send({ kind: 'control', id: 1, action: 'cancel' });
    await tick(30);
    expect(sent.at(-1)).toEqual({ kind: 'reply', id: 1, ok: false, error: { code: 'cancelled', message: 'Cancelled.' } });
  });

  it('cancels a paused request at once', async () => {
    const { port, sent, send } = memoryPort();
    serveEngine(port, selected, slowHandlers());
    send({ kind: 'request', id: 1, name: 'selfTest', params: { size: 5, iterations: 50 } });
    await tick(20);
    send({ kind: 'control', id: 1, action: 'pause' });
    await tick(20);
    send({ kind: 'control', id: 1, action: 'cancel' });
    await tick(20);
    expect(sent.at(-1)).toMatchObject({ kind: 'reply', id: 1, ok: false, error: { code: 'cancelled' } });
  });

  it('shutdown cancels, waits for handlers to stop, releases their resources, then exits', async () => {
    const { port, sent, send } = memoryPort();
    const order: string[] = [];
    const dispose = vi.fn(() => order.push('disposed'));
    serveEngine(port, selected, slowHandlers(dispose), { exit: () => order.push('exit') });
    send({ kind: 'request', id: 1, name: 'selfTest', params: { size: 30, iterations: 5 } });
    send({ kind: 'request', id: 2, name: 'selfTest', params: { size: 1, iterations: 1 } });
    await tick(10);
    send({ kind: 'shutdown' });
    await tick(100);
    const replies = sent.filter((m) => m.kind === 'reply');
    expect(replies.map((m) => (m as { id: number }).id).sort()).toEqual([1, 2]);
    expect(order).toEqual(['disposed', 'exit']);
    send({ kind: 'request', id: 3, name: 'modelSummary', params: { arch: 'vgg16', includeTop: true } });
    expect(sent.at(-1)).toMatchObject({ id: 3, ok: false, error: { code: 'engine-unavailable' } });
  });
});
