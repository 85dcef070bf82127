import type { ModelSummaryParams } from '../../api/types/models';
import type { HandlerSlice } from '../../api/dispatcher';
import { GraftError } from '../../api/errors';
import { listModels } from '../../api/model-catalog';
import type { AppContext } from '../app-context';
import { requireString } from './validate';

/** Reads the summary options a transport sent; the engine checks the values against the architecture. */
function summaryParams(params: unknown): ModelSummaryParams {
  const arch = requireString(params, 'arch');
  const p = params as Record<string, unknown>;
  if (typeof p.includeTop !== 'boolean') throw new GraftError('bad-request', '"includeTop" must be true or false.');
  const number = (key: string): number | undefined => {
    if (p[key] === undefined) return undefined;
    if (typeof p[key] !== 'number') throw new GraftError('bad-request', `"${key}" must be a number.`);
    return p[key];
  };
  if (p.pooling !== undefined && p.pooling !== 'avg' && p.pooling !== 'max') throw new GraftError('bad-request', '"pooling" must be "avg" or "max".');
  return { arch, includeTop: p.includeTop, pooling: p.pooling, inputSize: number('inputSize'), classes: number('classes') };
}

/** Handlers for the model picker: the architectures (no engine needed) and a built model's summary (in the engine). */
export function modelsApi(ctx: AppContext): HandlerSlice<'models.list' | 'models.summary'> {
  return {
    'models.list': () => listModels(),
    'models.summary': (params) => ctx.engine.request('modelSummary', summaryParams(params)),
  };
}
