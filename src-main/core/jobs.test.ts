import { describe, expect, it } from 'vitest';
import { EventBus } from '../api/event-bus';
import { JobRegistry } from './jobs';

describe('JobRegistry', () => {
  it('pushes progress for the job id, throttled except for the last step', async () => {
    const bus = new EventBus();
    const seen: number[] = [];
    bus.subscribe((m) => m.name === 'job.progress' && seen.push((m.payload as { done: number }).done));
    const jobs = new JobRegistry(bus);
    await jobs.run('a', 'test', async ({ progress }) => {
      for (let i = 1; i <= 100; i++) progress(i, 100, '', { ratePerSecond: 1, etaSeconds: 0 });
    });
    expect(seen[0]).toBe(1);
    expect(seen.at(-1)).toBe(100);
    expect(seen.length).toBeLessThan(10);
  });

  it('refuses a second job with the same id, and cancels by id', async () => {
    const jobs = new JobRegistry(new EventBus());
    let signal: AbortSignal | undefined;
    const running = jobs.run('a', 'test', (ctx) => {
      signal = ctx.signal;
      return new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
    });
    await expect(jobs.run('a', 'test', async () => undefined)).rejects.toMatchObject({ code: 'bad-request' });
    expect(jobs.busy).toBe(true);
    expect(jobs.cancel('a')).toBe(true);
    await running;
    expect(signal?.aborted).toBe(true);
    expect(jobs.busy).toBe(false);
    expect(jobs.cancel('a')).toBe(false);
  });

  it('stopAll cancels and waits until every job has finished its last write', async () => {
    const jobs = new JobRegistry(new EventBus());
    const order: string[] = [];
    void jobs
      .run('slow', 'test', async ({ signal }) => {
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        await new Promise((r) => setTimeout(r, 50));
        order.push('job wrote its last batch');
        throw new Error('cancelled');
      })
      .catch(() => undefined);
    await jobs.stopAll();
    order.push('stopAll returned');
    expect(order).toEqual(['job wrote its last batch', 'stopAll returned']);
  });
});
