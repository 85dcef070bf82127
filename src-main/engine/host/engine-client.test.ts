import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../api/contract';
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
    const progress: number[] = [];
    const result = await client.request('selfTest', { size: 32, iterations: 3 }, { onProgress: (p) => progress.push(p.done) });
    expect(result.iterations).toBe(3);
    expect(result.gflops).toBeGreaterThan(0);
    expect(progress).toEqual([1, 2, 3]);
    expect(statuses.map((s) => s.state)).toContain('busy');
    expect(client.status().state).toBe('ready');
  });

  it('cancels a running request and stays usable', async () => {
    client = new EngineClient(realSpawner());
    await client.start();
    const controller = new AbortController();
    const run = client.request('selfTest', { size: 64, iterations: 1_000_000 }, {
      signal: controller.signal,
      onProgress: (p) => p.done === 2 && controller.abort(),
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
    const run = client.request('selfTest', { size: 64, iterations: 1_000_000 }, {
      onProgress: () => {
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
        queueMicrotask(() => onMessage({ kind: 'ready', hello: { backend: 'cpu', backendPackage: 'cpu', tfjsVersion: '4', tried: [] } }));
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
    expect(log).toEqual(['spawn', 'request', 'cancel', 'shutdown', 'kill', 'spawn']);
    client.dispose();
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
    client.dispose();
  });

  it('gives up on an engine that never says ready, and says so', async () => {
    const log: string[] = [];
    const client = new EngineClient(brokenEngine(log, 'silent'), { readyTimeoutMs: 20 });
    await expect(client.start()).rejects.toThrow('did not start in time');
    expect(client.status()).toMatchObject({ state: 'crashed', lastError: 'The engine did not start in time.' });
    expect(log).toContain('kill');
    client.dispose();
  });
});
