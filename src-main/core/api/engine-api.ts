import type { HandlerSlice } from '../../api/dispatcher';
import type { AppContext } from '../app-context';

/** Handlers for the engine's status, restart and self-test (a pausable job in the engine). */
export function engineApi(ctx: AppContext): HandlerSlice<'engine.status' | 'engine.restart' | 'engine.selfTest'> {
  return {
    'engine.status': () => ctx.engine.status(),
    'engine.restart': async () => {
      await ctx.engine.restart();
      return ctx.engine.status();
    },
    'engine.selfTest': (params) => {
      const job = ctx.jobs.start({
        kind: 'self-test',
        title: `Engine self-test (${params.iterations} × matmul ${params.size})`,
        params,
        canPause: true,
        run: (job) =>
          ctx.engine.request('selfTest', params, { signal: job.signal, pause: job.pause, onEvent: job.progress, onQueued: job.queued }),
      });
      return { jobId: job.id };
    },
  };
}
