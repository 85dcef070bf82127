import type { ApiError } from '../../../src-main/api/errors';
import type { JobInfo, JobInfoOf, JobKind, JobKinds } from '../../../src-main/api/types/jobs';
import type { FakeApi } from './fake-api';

/** A scripted job registry behind a fake API: the test starts, advances and ends jobs. */
export interface FakeJobs {
  /** Starts a job as the main side would, pushing `job.started`; returns its id. */
  start<K extends JobKind>(kind: K, params: JobKinds[K]['params'], title?: string): string;
  progress<K extends JobKind>(id: string, progress: JobKinds[K]['progress']): void;
  finish<K extends JobKind>(id: string, result: JobKinds[K]['result'], status?: 'succeeded' | 'cancelled'): void;
  fail(id: string, error: ApiError): void;
  get(id: string): JobInfo;
}

/** Installs jobs.list/get/cancel/pause/resume on the fake API, backed by scripted jobs. */
export function fakeJobs(api: FakeApi): FakeJobs {
  const jobs = new Map<string, JobInfo>();
  let next = 1;
  const update = (id: string, patch: Partial<JobInfo>, event: 'job.state' | 'job.finished' | 'job.failed') => {
    const job = { ...jobs.get(id)!, ...patch } as JobInfo;
    jobs.set(id, job);
    api.emit(event, { job });
  };
  api.handlers['jobs.list'] = () => [...jobs.values()];
  api.handlers['jobs.get'] = ({ jobId }) => jobs.get(jobId)!;
  api.handlers['jobs.cancel'] = ({ jobId }) => ({ cancelled: jobs.has(jobId) });
  api.handlers['jobs.pause'] = ({ jobId }) => {
    update(jobId, { status: 'paused' }, 'job.state');
    return jobs.get(jobId)!;
  };
  api.handlers['jobs.resume'] = ({ jobId }) => {
    update(jobId, { status: 'running' }, 'job.state');
    return jobs.get(jobId)!;
  };
  return {
    start(kind, params, title = `${kind} job`) {
      const id = `job-${next++}`;
      const job: JobInfoOf<typeof kind> = {
        id,
        kind,
        title,
        status: 'running',
        params,
        progress: null,
        queuePosition: null,
        canPause: true,
        startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, next)).toISOString(),
        finishedAt: null,
        result: null,
        error: null,
      };
      jobs.set(id, job as JobInfo);
      api.emit('job.started', { job: job as JobInfo });
      return id;
    },
    progress(id, progress) {
      const job = { ...jobs.get(id)!, progress } as JobInfo;
      jobs.set(id, job);
      api.emit('job.progress', { jobId: id, kind: job.kind, progress } as never);
    },
    finish(id, result, status = 'succeeded') {
      update(id, { status, result, finishedAt: new Date().toISOString() } as Partial<JobInfo>, 'job.finished');
    },
    fail(id, error) {
      update(id, { status: error.code === 'cancelled' ? 'cancelled' : 'failed', error, finishedAt: new Date().toISOString() }, 'job.failed');
    },
    get: (id) => jobs.get(id)!,
  };
}
