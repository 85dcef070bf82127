import { describe, expect, it } from 'vitest';
import { deferred, fakeApi } from '../library/fake-api';
import { newJobId, useJob } from './useJob';

const progress = (jobId: string, done: number) => ({ jobId, kind: 'import', done, total: 10, message: `${done} done` });

describe('useJob', () => {
  it('follows progress of its own job only, and stops listening when it settles', async () => {
    const api = fakeApi();
    const job = useJob({ api, newId: () => 'job-1' });
    const work = deferred<string>();
    const result = job.start((jobId) => {
      expect(jobId).toBe('job-1');
      return work.promise;
    });
    expect(job.running.value).toBe(true);
    api.emit('job.progress', progress('job-1', 3));
    api.emit('job.progress', progress('other', 9));
    expect(job.progress.value?.done).toBe(3);
    work.resolve('ok');
    await expect(result).resolves.toBe('ok');
    expect(job.running.value).toBe(false);
    expect(api.listeners('job.progress')).toBe(0);
  });

  it('cancels through job.cancel with its id', async () => {
    const api = fakeApi({ 'job.cancel': () => ({ cancelled: true }) });
    const job = useJob({ api, newId: () => 'job-2' });
    const work = deferred<void>();
    const result = job.start(() => work.promise);
    await expect(job.cancel()).resolves.toBe(true);
    expect(job.cancelling.value).toBe(true);
    expect(api.calls).toEqual([{ name: 'job.cancel', params: { jobId: 'job-2' } }]);
    work.resolve();
    await result;
    expect(job.cancelling.value).toBe(false);
  });

  it('refuses a second job while one runs, and gives each job a fresh id', async () => {
    const api = fakeApi();
    const job = useJob({ api });
    const work = deferred<void>();
    const first = job.start(() => work.promise);
    const firstId = job.jobId.value;
    await expect(job.start(() => Promise.resolve())).rejects.toThrow(/already running/);
    work.resolve();
    await first;
    await job.start(() => Promise.resolve());
    expect(job.jobId.value).not.toBe(firstId);
    expect(await job.cancel()).toBe(false);
  });

  it('makes v4 UUIDs', () => {
    expect(newJobId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
