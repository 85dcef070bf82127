import type { HandlerSlice } from '../../api/dispatcher';
import type { AppContext } from '../app-context';

/** Handlers for following and controlling jobs from any window. */
export function jobsApi(ctx: AppContext): HandlerSlice<'jobs.list' | 'jobs.get' | 'jobs.cancel' | 'jobs.pause' | 'jobs.resume'> {
  return {
    'jobs.list': () => ctx.jobs.list(),
    'jobs.get': ({ jobId }) => ctx.jobs.get(jobId),
    'jobs.cancel': ({ jobId }) => ({ cancelled: ctx.jobs.cancel(jobId) }),
    'jobs.pause': ({ jobId }) => ctx.jobs.pause(jobId),
    'jobs.resume': ({ jobId }) => ctx.jobs.resume(jobId),
  };
}
