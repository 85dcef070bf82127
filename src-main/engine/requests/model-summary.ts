import type { ModelSummary, ModelSummaryParams } from '../../api/types/models';
import { summarizeModel } from '../models/model-summary';
import type { EngineContext } from '../worker/engine-context';

/** Summaries kept per configuration: building VGG16 with its top allocates 550 MB and takes seconds. */
const CACHE_SIZE = 32;

/**
 * The engine's `modelSummary` request: builds the architecture (random weights) in the engine
 * and summarises its layers, blocks and parameter counts. Each configuration is built once
 * per engine process; later requests get the remembered summary.
 */
export function createModelSummaryHandler(): (params: ModelSummaryParams, ctx: EngineContext<'modelSummary'>) => Promise<ModelSummary> {
  const cache = new Map<string, ModelSummary>();
  return async (params, ctx) => {
    const key = JSON.stringify([params.arch, params.includeTop, params.pooling ?? null, params.inputSize ?? null, params.classes ?? null]);
    const known = cache.get(key);
    if (known) {
      // Most recently used last, so the oldest is the one dropped.
      cache.delete(key);
      cache.set(key, known);
      return known;
    }
    const { arch, ...options } = params;
    const summary = summarizeModel(ctx.tf, arch, options);
    cache.set(key, summary);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
    return summary;
  };
}
