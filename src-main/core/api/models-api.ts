import type { HandlerSlice } from '../../api/dispatcher';
import { ARCHITECTURES, listModels } from '../../api/model-catalog';
import type { AppContext } from '../app-context';

/** Handlers for the model picker: the architectures (no engine needed) and a built model's summary (in the engine). */
export function modelsApi(ctx: AppContext): HandlerSlice<'models.list' | 'models.summary' | 'models.download' | 'models.weightsStatus'> {
  return {
    'models.list': () => listModels(),
    'models.summary': (params) => ctx.engine.request('modelSummary', params),
    'models.weightsStatus': (params) => ctx.engine.request('weightsStatus', params),
    'models.download': (params) => {
      const job = ctx.jobs.start({
        kind: 'download',
        title: `Download the ImageNet weights of ${ARCHITECTURES[params.arch].displayName}`,
        params,
        run: (job) => ctx.engine.request('downloadWeights', params, { signal: job.signal, onEvent: job.progress }),
      });
      return { jobId: job.id };
    },
  };
}
