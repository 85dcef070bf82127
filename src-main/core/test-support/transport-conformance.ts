/**
 * One conformance suite of contract calls and events, run over every transport (Electron IPC
 * and the WebSocket of `graft serve`) against the real main-side services, so both transports
 * are held to the same behaviour.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvents, EventName, GraftBridge, ParamsArgs, RequestName, ResultOf } from '../../api/contract';
import type { JobInfo } from '../../api/types/jobs';
import { createAppServices, type AppServices } from '../app-services';
import { makeImage, makeTempDir, type TempDir } from '../library/library-fixtures';
import { forkSpawner } from '../../engine/host/engine-process';

const engineEntry = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'engine', 'worker', 'engine-main.ts');

/** A connected client of one transport; `close` ends it. */
export interface TransportClient {
  bridge: GraftBridge;
  close(): void;
}

/** Connects a new client to the services' transport (a second call is a second window or browser tab). */
export type Connect = (services: AppServices) => Promise<TransportClient>;

/** Sets up a transport over the services, returning how to connect clients and how to tear it down. */
export type AttachTransport = (services: AppServices) => Promise<{ connect: () => Promise<TransportClient>; dispose(): Promise<void> | void }>;

async function call<N extends RequestName>(bridge: GraftBridge, name: N, ...params: ParamsArgs<N>): Promise<ResultOf<N>> {
  const reply = await bridge.call(name, ...params);
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
  return reply.value;
}

/** Resolves with the first event of `name` (and topic) that passes `test`. */
function nextEvent<E extends EventName>(bridge: GraftBridge, name: E, test: (p: ApiEvents[E]) => boolean = () => true, topic?: string): Promise<ApiEvents[E]> {
  return new Promise((resolve) => {
    const stop = bridge.on(
      name,
      (payload) => {
        if (!test(payload)) return;
        stop();
        resolve(payload);
      },
      topic,
    );
  });
}

async function until(test: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Declares the conformance suite for one transport. */
export function describeTransportConformance(name: string, attach: AttachTransport): void {
  describe(`contract over ${name}`, () => {
    let tmp: TempDir;
    let services: AppServices;
    let transport: Awaited<ReturnType<AttachTransport>>;
    let photos: string;
    const clients: TransportClient[] = [];
    const connect = async () => {
      const client = await transport.connect();
      clients.push(client);
      return client.bridge;
    };

    beforeAll(async () => {
      tmp = makeTempDir('graft-conformance-');
      photos = path.join(tmp.dir, 'photos');
      for (let i = 0; i < 40; i++) {
        const file = path.join(photos, i % 2 ? 'cats' : 'dogs', `p${i}.png`);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, await makeImage('png', i + 1));
      }
      services = createAppServices({
        mode: 'serve',
        spawnEngine: forkSpawner(engineEntry, { execArgv: ['--import', 'tsx'], env: { ...process.env, GRAFT_BACKEND: 'cpu' } }),
        logError: () => undefined,
      });
      services.ctx.session.create(path.join(tmp.dir, 'project'));
      transport = await attach(services);
    }, 60_000);

    afterAll(async () => {
      for (const client of clients) client.close();
      await transport?.dispose();
      await services?.dispose();
      tmp?.cleanup();
    });

    it('answers calls, and refuses unknown requests and malformed parameters as bad requests', async () => {
      const bridge = await connect();
      expect(await call(bridge, 'app.info')).toMatchObject({ mode: 'serve' });
      expect(await bridge.call('fs.read' as RequestName)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
      const junk = await bridge.call('labels.assign', { imageIds: 'all', classId: 1 } as never);
      expect(junk).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('"imageIds"') } });
    });

    it('delivers the events a client listens to, and stops when it stops listening', async () => {
      const bridge = await connect();
      const seen: string[] = [];
      const stop = bridge.on('library.changed', (p) => seen.push(p.reason));
      await new Promise((r) => setTimeout(r, 50));
      await call(bridge, 'classes.create', { name: 'birds' });
      await until(() => seen.length === 1);
      stop();
      await new Promise((r) => setTimeout(r, 50));
      await call(bridge, 'classes.create', { name: 'fish' });
      await new Promise((r) => setTimeout(r, 200));
      expect(seen).toEqual(['classes']);
    });

    it('starts an import as a job; a second client finds it with jobs.list, follows its progress by topic, resumes and cancels it', async () => {
      const first = await connect();
      const { jobId } = await call(first, 'library.import', { folder: photos, labelsFromSubfolders: true });
      // Paused at once, so it is still running when the second client looks.
      await call(first, 'jobs.pause', { jobId });
      const second = await connect();
      const listed = (await call(second, 'jobs.list')).find((job) => job.id === jobId);
      expect(listed).toMatchObject({ kind: 'import', status: 'paused', canPause: true, params: { folder: photos } });

      const progress: number[] = [];
      const others: string[] = [];
      second.on('job.progress', (p) => progress.push((p.progress as { done: number }).done), jobId);
      second.on('job.progress', (p) => p.jobId !== jobId && others.push(p.jobId));
      const ended = nextEvent(second, 'job.finished', (p) => p.job.id === jobId, jobId);
      await new Promise((r) => setTimeout(r, 50));
      await call(second, 'jobs.resume', { jobId });
      await until(() => progress.some((done) => done > 0));
      await call(second, 'jobs.cancel', { jobId });
      const { job } = await ended;
      expect(job.status === 'cancelled' || job.status === 'succeeded').toBe(true);
      expect((job as Extract<JobInfo, { kind: 'import' }>).result?.added).toBeGreaterThan(0);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(others).toEqual([]);
      expect(await call(first, 'jobs.get', { jobId })).toMatchObject({ status: job.status, finishedAt: expect.any(String) });
    }, 60_000);

    it('pauses and resumes a long engine job from the contract', async () => {
      const bridge = await connect();
      const { jobId } = await call(bridge, 'engine.selfTest', { size: 64, iterations: 400 });
      const finished = nextEvent(bridge, 'job.finished', (p) => p.job.id === jobId, jobId);
      const done = async () => ((await call(bridge, 'jobs.get', { jobId })).progress as { done: number } | null)?.done ?? 0;
      await until(async () => (await done()) > 5);
      await call(bridge, 'jobs.pause', { jobId });
      await new Promise((r) => setTimeout(r, 300));
      const held = await done();
      await new Promise((r) => setTimeout(r, 400));
      expect(await done()).toBe(held);
      expect((await call(bridge, 'jobs.get', { jobId })).status).toBe('paused');
      await call(bridge, 'jobs.resume', { jobId });
      const { job } = await finished;
      expect(job).toMatchObject({ status: 'succeeded', result: { iterations: 400 }, progress: { done: 400, total: 400 } });
    }, 60_000);
  });
}
