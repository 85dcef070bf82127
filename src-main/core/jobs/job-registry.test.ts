import { describe, expect, it, vi } from 'vitest';
import type { EventMessage } from '../../api/contract';
import { GraftError } from '../../api/errors';
import { EventBus } from '../../api/event-bus';
import type { JobInfo, StepProgress } from '../../api/types/jobs';
import { JobRegistry } from './job-registry';

const selfTest = { size: 8, iterations: 3 };
const step = (done: number, total = 100): StepProgress => ({ done, total, message: '' });

function recorder(bus: EventBus): EventMessage[] {
  const seen: EventMessage[] = [];
  bus.subscribe((m) => seen.push(m));
  return seen;
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

describe('JobRegistry', () => {
  it('returns the job at once and runs the work on; its end arrives as job.finished with the result', async () => {
    const bus = new EventBus();
    const seen = recorder(bus);
    const jobs = new JobRegistry(bus);
    let release!: () => void;
    const job = jobs.start({
      kind: 'self-test',
      title: 'Self-test',
      params: selfTest,
      run: async () => {
        await new Promise<void>((r) => (release = r));
        return { backend: 'cpu', iterations: 3, seconds: 1, gflops: 2 };
      },
    });
    expect(job).toMatchObject({ kind: 'self-test', status: 'running', result: null });
    expect(jobs.get(job.id).status).toBe('running');
    expect(jobs.busy).toBe(true);
    release();
    const final = await jobs.settled(job.id);
    expect(final).toMatchObject({ status: 'succeeded', result: { gflops: 2 }, error: null });
    expect(final.finishedAt).not.toBeNull();
    expect(seen.map((m) => m.name)).toEqual(['job.started', 'job.finished']);
    expect(jobs.busy).toBe(false);
  });

  it('coalesces progress at the source: few events, the latest always last and before the end', async () => {
    const bus = new EventBus();
    const seen = recorder(bus);
    const jobs = new JobRegistry(bus, { progressIntervalMs: 50 });
    const job = jobs.start({
      kind: 'self-test',
      title: 't',
      params: selfTest,
      run: async (ctx) => {
        for (let i = 1; i <= 1000; i++) {
          ctx.progress(step(i, 1000));
          if (i % 100 === 0) await new Promise((r) => setTimeout(r, 10));
        }
        return { backend: 'cpu', iterations: 1, seconds: 1, gflops: 1 };
      },
    });
    await jobs.settled(job.id);
    const progress = seen.filter((m) => m.name === 'job.progress').map((m) => (m.payload as { progress: StepProgress }).progress.done);
    expect(progress[0]).toBe(1);
    expect(progress.at(-1)).toBe(1000);
    expect(progress.length).toBeLessThan(10);
    expect(seen.at(-1)!.name).toBe('job.finished');
    expect(jobs.get(job.id).progress).toEqual(step(1000, 1000));
  });

  it('cancels by id: a job that throws on cancel ends as cancelled through job.failed', async () => {
    const bus = new EventBus();
    const seen = recorder(bus);
    const jobs = new JobRegistry(bus);
    const job = jobs.start({
      kind: 'self-test',
      title: 't',
      params: selfTest,
      run: async (ctx) => {
        await untilAborted(ctx.signal);
        throw new GraftError('cancelled', 'Cancelled.');
      },
    });
    expect(jobs.cancel(job.id)).toBe(true);
    expect(await jobs.settled(job.id)).toMatchObject({ status: 'cancelled', error: { code: 'cancelled' } });
    expect(jobs.cancel(job.id)).toBe(false);
    expect(jobs.cancel('nope')).toBe(false);
    expect(seen.at(-1)!.name).toBe('job.failed');
  });

  it('a failure is kept with its error; unexpected ones are logged with context', async () => {
    const logError = vi.fn();
    const jobs = new JobRegistry(new EventBus(), { logError });
    const expected = jobs.start({ kind: 'self-test', title: 'a', params: selfTest, run: () => Promise.reject(new GraftError('io', 'Disk full.')) });
    const unexpected = jobs.start({ kind: 'self-test', title: 'b', params: selfTest, run: () => Promise.reject(new TypeError('boom')) });
    expect(await jobs.settled(expected.id)).toMatchObject({ status: 'failed', error: { code: 'io', message: 'Disk full.' } });
    expect(await jobs.settled(unexpected.id)).toMatchObject({ status: 'failed', error: { code: 'internal' } });
    expect(logError).toHaveBeenCalledTimes(1);
    expect(logError.mock.calls[0]![0]).toContain('self-test (b)');
  });

  it('pauses and resumes work that waits on its gate, with job.state events; refuses jobs that cannot pause', async () => {
    const bus = new EventBus();
    const seen = recorder(bus);
    const jobs = new JobRegistry(bus, { progressIntervalMs: 0 });
    let steps = 0;
    let stop = false;
    const job = jobs.start({
      kind: 'self-test',
      title: 't',
      params: selfTest,
      canPause: true,
      run: async (ctx) => {
        while (!stop) {
          await ctx.pause.wait(ctx.signal);
          steps++;
          await new Promise((r) => setTimeout(r, 2));
        }
        return { backend: 'cpu', iterations: steps, seconds: 1, gflops: 1 };
      },
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(jobs.pause(job.id).status).toBe('paused');
    await new Promise((r) => setTimeout(r, 10));
    const atPause = steps;
    await new Promise((r) => setTimeout(r, 30));
    expect(steps).toBe(atPause);
    expect(jobs.resume(job.id).status).toBe('running');
    await new Promise((r) => setTimeout(r, 20));
    expect(steps).toBeGreaterThan(atPause);
    stop = true;
    await jobs.settled(job.id);
    expect(seen.filter((m) => m.name === 'job.state').map((m) => (m.payload as { job: { status: string } }).job.status)).toEqual(['paused', 'running']);
    const fixed = jobs.start({ kind: 'self-test', title: 'fixed', params: selfTest, run: async () => ({ backend: 'cpu', iterations: 1, seconds: 1, gflops: 1 }) });
    expect(() => jobs.pause(fixed.id)).toThrow(/cannot be paused/);
  });

  it('reports a queue position while the work waits for the engine', async () => {
    const bus = new EventBus();
    const seen = recorder(bus);
    const jobs = new JobRegistry(bus);
    const job = jobs.start({
      kind: 'self-test',
      title: 't',
      params: selfTest,
      run: async (ctx) => {
        ctx.queued(2);
        ctx.queued(1);
        ctx.queued(null);
        return { backend: 'cpu', iterations: 1, seconds: 1, gflops: 1 };
      },
    });
    await jobs.settled(job.id);
    const states = seen.filter((m) => m.name === 'job.state').map((m) => (m.payload as { job: { status: string; queuePosition: number | null } }).job);
    expect(states.map((s) => [s.status, s.queuePosition])).toEqual([
      ['queued', 2],
      ['queued', 1],
      ['running', null],
    ]);
  });

  it('lists running jobs first and forgets the oldest finished ones', async () => {
    const jobs = new JobRegistry(new EventBus(), { keepFinished: 2 });
    const done: JobInfo[] = [];
    for (let i = 0; i < 4; i++) {
      const job = jobs.start({ kind: 'self-test', title: `f${i}`, params: selfTest, run: async () => ({ backend: 'cpu', iterations: 1, seconds: 1, gflops: 1 }) });
      done.push(await jobs.settled(job.id));
    }
    const controller = new AbortController();
    const running = jobs.start({
      kind: 'self-test',
      title: 'running',
      params: selfTest,
      run: async () => {
        await untilAborted(controller.signal);
        return { backend: 'cpu', iterations: 1, seconds: 1, gflops: 1 };
      },
    });
    const list = jobs.list();
    expect(list.map((j) => j.title)).toEqual(['running', expect.stringMatching(/^f[23]$/), expect.stringMatching(/^f[23]$/)]);
    expect(() => jobs.get(done[0]!.id)).toThrow(/No job/);
    controller.abort();
    await jobs.settled(running.id);
  });

  it('stopAll cancels and waits until every job has finished its last write', async () => {
    const jobs = new JobRegistry(new EventBus());
    const order: string[] = [];
    jobs.start({
      kind: 'self-test',
      title: 'slow',
      params: selfTest,
      run: async ({ signal }) => {
        await untilAborted(signal);
        await new Promise((r) => setTimeout(r, 50));
        order.push('job wrote its last batch');
        throw new GraftError('cancelled', 'Cancelled.');
      },
    });
    await jobs.stopAll();
    order.push('stopAll returned');
    expect(order).toEqual(['job wrote its last batch', 'stopAll returned']);
  });
});
