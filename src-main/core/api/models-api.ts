import type { HandlerSlice } from '../../api/dispatcher';
import { listModels } from '../../api/model-catalog';
import type { AppContext } from '../app-context';

/** Handlers for the model picker: the architectures (no engine needed) and a built model's summary (in the engine). */
export function modelsApi(ctx: AppContext): HandlerSlice<'models.list' | 'models.summary'> {
  return {
    'models.list': () => listModels(),
    'models.summary': (params) => ctx.engine.request('modelSummary', params),
  };
}
