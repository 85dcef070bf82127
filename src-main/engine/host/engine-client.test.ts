import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../api/types/app';
import { EngineClient } from './engine-client';
import { forkSpawner, type EngineProcess } from './engine-process';
import type { FromEngine, ToEngine } from '../protocol';

const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'worker', 'engine-main.ts');
const realSpawner = () => forkSpawner(entry, { execArgv: ['--import', 'tsx'], env: { ...process.env, GRAFT_BACKEND: 'cpu' } });

describe('EngineClient with the real engine process', () => {
  let client: EngineClient | undefined;
  afterEach(() => client?.dispose());

  it('starts, reports its backend, runs a request with progress', async () => {
    const statuses: EngineStatus[] = [];
    client = new EngineClient(realSpawner(), { onStatus: (s) => statuses.push(s) });
    const hello = await client.start();
    expect(hello.backend).toBe('cpu');
    expect(hello.tfjsVersion).toMatch(/^4\./);
    expect(hello.onnx).toMatchObject({ available: true, version: '1.30.0', providers: ['cpu'] });
    expect(client.status().onnx).toEqual(hello.onnx);
    const progress: number[] = [];
    const result = await client.request('selfTest', { size: 32, iterations: 3 }, { onEvent: (p) => progress.push(p.done) });
    expect(result.iterations).toBe(3);
    expect(result.gflops).toBeGreaterThan(0);
    expect(progress).toEqual([1, 2, 3]);
    expect(statuses.map((s) => s.state)).toContain('busy');
    expect(client.status().state).toBe('ready');
  });

  it('pauses and resumes a request: no events while paused, every event in order, none lost', async () => {
    client = new EngineClient(realSpawner());
    await client.start();
    const events: number[] = [];
    const listeners = new Set<(paused: boolean) => void>();
    const gate = { paused: false, onChange: (l: (paused: boolean) => void) => (listeners.add(l), () => listeners.delete(l)) };
    const setPaused = (paused: boolean) => {
      gate.paused = paused;
      for (const l of listeners) l(paused);
    };
    let pausedAt = -1;
    const run = client.request('selfTest', { size: 16, iterations: 200 }, {
      pause: gate,
      onEvent: (p) => {
        events.push(p.done);
        if (p.done === 20) {
          setPaused(true);
          pausedAt = events.length;
        }
      },
    });
    // Steps already under way when the pause arrives still report; then the engine holds.
    await new Promise((r) => setTimeout(r, 300));
    const heldAt = events.length;
    expect(heldAt).toBeGreaterThanOrEqual(pausedAt);
    expect(heldAt).toBeLessThan(200);
    await new Promise((r) => setTimeout(r, 400));
    expect(events.length).toBe(heldAt);
    setPaused(false);
    const result = await run;
    expect(result.iterations).toBe(200);
    expect(events).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it('queues heavy requests one at a time with their position, while a light one answers', async () => {
    client = new EngineClient(realSpawner());
    await client.start();
    const order: string[] = [];
    const positions: (number | null)[] = [];
    const first = client.request('selfTest', { size: 64, iterations: 40 }).then(() => order.push('first'));
    const second = client.request('selfTest', { size: 8, iterations: 1 }, { onQueued: (p) => positions.push(p) }).then(() => order.push('second'));
    const summary = await client.request('modelSummary', { arch: 'mobilenet_v2', includeTop: false, inputSize: 32 });
    order.push('summary');
    await Promise.all([first, second]);
    expect(summary.layers).toBe(154);
    expect(order).toEqual(['summary', 'first', 'second']);
    expect(positions).toEqual([1, null]);
  });

  it('refuses malformed params in the engine with a message naming the field', async () => {
    client = new EngineClient(realSpawner());
    await client.start();
    await expect(client.request('selfTest', { size: -1, iterations: 1 })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('"size"') });
  });

  it('cancels a running request and stays usable', async () => {
    client = new EngineClient(realSpawner());
    await client.start();
    const controller = new AbortController();
    const run = client.request('selfTest', { size: 64, iterations: 10_000 }, {
      signal: controller.signal,
      onEvent: (p) => p.done === 2 && controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    const again = await client.request('selfTest', { size: 16, iterations: 1 });
    expect(again.iterations).toBe(1);
  });

  it('reports a crash, fails the pending request and respawns', async () => {
    const statuses: EngineStatus[] = [];
    client = new EngineClient(realSpawner(), { onStatus: (s) => statuses.push(s) });
    await client.start();
    let pid: number | undefined;
    const run = client.request('selfTest', { size: 64, iterations: 10_000 }, {
      onEvent: () => {
        if (pid === undefined) {
          pid = (client as unknown as { process: EngineProcess }).process.pid;
          process.kill(pid!, 'SIGKILL');
        }
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'engine-crashed' });
    expect(statuses.some((s) => s.state === 'crashed' && s.lastError?.includes('SIGKILL'))).toBe(true);
    await client.start();
    expect(client.status()).toMatchObject({ state: 'ready', restarts: 1 });
    expect((await client.request('selfTest', { size: 8, iterations: 1 })).iterations).toBe(1);
  });
});

/** A scripted engine that never answers requests: stands in for one stuck in a long op. */
function stuckEngine(log: string[]): () => EngineProcess {
  return () => {
    let onMessage: (m: FromEngine) => void = () => {};
    let onExit: (r: string) => void = () => {};
    const proc: EngineProcess = {
      pid: 1,
      send: (m: ToEngine) => log.push(m.kind),
      onMessage: (l) => {
        onMessage = l;
        queueMicrotask(() => onMessage({ kind: 'ready', hello: { backend: 'cpu', backendPackage: 'cpu', tfjsVersion: '4', tried: [], onnx: { available: false, error: 'not loaded' } } }));
      },
      onExit: (l) => (onExit = l),
      kill: () => {
        log.push('kill');
        onExit('killed');
      },
    };
    log.push('spawn');
    return proc;
  };
}

/** A stuck engine whose messages the test can answer itself (`send` a reply or an event). */
function answerableStuckEngine(log: string[]): { spawner: () => EngineProcess; send: (m: FromEngine) => void } {
  let listener: (m: FromEngine) => void = () => {};
  const spawner = () => {
    const proc = stuckEngine(log)();
    const onMessage = proc.onMessage.bind(proc);
    proc.onMessage = (l) => {
      listener = l;
      onMessage(l);
    };
    return proc;
  };
  return { spawner, send: (m) => listener(m) };
}

describe('EngineClient cancel guarantee', () => {
  it('kills and respawns an engine that ignores a cancel', async () => {
    const log: string[] = [];
    const client = new EngineClient(stuckEngine(log), { cancelGraceMs: 20 });
    await client.start();
    const controller = new AbortController();
    const run = client.request('selfTest', { size: 8, iterations: 1 }, { signal: controller.signal });
    await new Promise((r) => setImmediate(r));
    controller.abort();
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    await new Promise((r) => setTimeout(r, 60));
    expect(log).toEqual(['spawn', 'request', 'control', 'shutdown', 'kill', 'spawn']);
    await client.dispose(10);
  });

  it('with waitForStop, a cancelled request settles only when the engine has stopped the work', async () => {
    const log: string[] = [];
    const { spawner, send } = answerableStuckEngine(log);
    const client = new EngineClient(spawner, { cancelGraceMs: 5_000 });
    await client.start();
    const controller = new AbortController();
    let settled = false;
    const run = client.request('selfTest', { size: 8, iterations: 1 }, { signal: controller.signal, waitForStop: true }).finally(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    controller.abort();
    await new Promise((r) => setTimeout(r, 50));
    expect(log).toEqual(['spawn', 'request', 'control']);
    expect(settled).toBe(false);
    send({ kind: 'reply', id: 1, ok: false, error: { code: 'cancelled', message: 'Cancelled.' } });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    await client.dispose(10);
  });

  it('restarts an engine that falls silent during a request, and fails the request with the reason', async () => {
    const log: string[] = [];
    const statuses: EngineStatus[] = [];
    const client = new EngineClient(stuckEngine(log), { silenceMs: 50, watchdogIntervalMs: 10, onStatus: (s) => statuses.push(s) });
    await client.start();
    const run = client.request('modelSummary', { arch: 'mobilenet_v2', includeTop: false });
    await expect(run).rejects.toMatchObject({ code: 'engine-crashed', message: expect.stringContaining('stopped responding') });
    await new Promise((r) => setTimeout(r, 20));
    expect(log).toEqual(['spawn', 'request', 'shutdown', 'kill', 'spawn']);
    expect(statuses.some((s) => s.state === 'crashed' && s.lastError === 'Engine hung during modelSummary')).toBe(true);
    await client.dispose(10);
  });

  it('does not count a queued or paused request as silent', async () => {
    const log: string[] = [];
    const { spawner, send } = answerableStuckEngine(log);
    const client = new EngineClient(spawner, { silenceMs: 40, watchdogIntervalMs: 10 });
    await client.start();
    const pause = { paused: false, listeners: new Set<(p: boolean) => void>(), onChange(l: (p: boolean) => void) { this.listeners.add(l); return () => this.listeners.delete(l); } };
    const run = client.request('selfTest', { size: 8, iterations: 1 }, { pause });
    const settled = run.then(() => 'done', () => 'failed');
    send({ kind: 'queued', id: 1, position: 1 });
    await new Promise((r) => setTimeout(r, 100));
    send({ kind: 'queued', id: 1, position: null });
    for (const l of pause.listeners) l(true);
    send({ kind: 'paused', id: 1, paused: true });
    await new Promise((r) => setTimeout(r, 100));
    send({ kind: 'reply', id: 1, ok: true, result: { backend: 'cpu', iterations: 1, seconds: 1, gflops: 1 } });
    expect(await settled).toBe('done');
    expect(log).toEqual(['spawn', 'request', 'control']);
    await client.dispose(10);
  });
});

/** A scripted engine whose start goes wrong in the given way. */
function brokenEngine(log: string[], behaviour: 'fatal' | 'silent'): () => EngineProcess {
  return () => {
    let onExit: (r: string) => void = () => {};
    log.push('spawn');
    return {
      pid: 2,
      send: (m: ToEngine) => log.push(m.kind),
      onMessage: (listener) => {
        if (behaviour === 'fatal') {
          queueMicrotask(() => {
            listener({ kind: 'fatal', error: 'No tfjs backend works here' });
            onExit('exit code 1');
          });
        }
      },
      onExit: (l) => (onExit = l),
      kill: () => log.push('kill'),
    };
  };
}

describe('EngineClient start failures', () => {
  it('reports a fatal start with its reason and does not respawn in a loop', async () => {
    const log: string[] = [];
    const client = new EngineClient(brokenEngine(log, 'fatal'));
    await expect(client.start()).rejects.toThrow('The engine could not start: No tfjs backend works here');
    await new Promise((r) => setTimeout(r, 30));
    expect(client.status()).toMatchObject({ state: 'crashed', lastError: 'The engine could not start: No tfjs backend works here' });
    expect(log.filter((l) => l === 'spawn')).toHaveLength(1);
    await client.dispose(10);
  });

  it('gives up on an engine that never says ready, and says so', async () => {
    const log: string[] = [];
    const client = new EngineClient(brokenEngine(log, 'silent'), { readyTimeoutMs: 20 });
    await expect(client.start()).rejects.toThrow('did not start in time');
    expect(client.status()).toMatchObject({ state: 'crashed', lastError: 'The engine did not start in time.' });
    expect(log).toContain('kill');
    await client.dispose(10);
  });
});
