import type { HandlerSlice } from '../../api/dispatcher';
import type { AppContext } from '../app-context';
import { requireNumber, requireString } from './validate';

/** Handlers for the engine's status, restart and self-test. */
export function engineApi(ctx: AppContext): HandlerSlice<'engine.status' | 'engine.restart' | 'engine.selfTest'> {
  return {
    'engine.status': () => ctx.engine.status(),
    'engine.restart': async () => {
      await ctx.engine.restart();
      return ctx.engine.status();
    },
    'engine.selfTest': (params) => {
      const size = requireNumber(params, 'size');
      const iterations = requireNumber(params, 'iterations');
      return ctx.jobs.run(requireString(params, 'jobId'), 'self-test', ({ signal, progress }) =>
        ctx.engine.request('selfTest', { size, iterations }, { signal, onProgress: (p) => progress(p.done, p.total, p.message) }),
      );
    },
  };
}
