import type { EngineContext } from '../engine-handlers';
import { modelKey, prepareModel, type ModelSpec, type PreparedModel } from './inference-model';
import { ModelCache, type Lease } from './model-cache';

/** The engine's cache of prepared models, one per process. */
export type InferenceModels = ModelCache<PreparedModel>;

/** A fresh, empty model cache (the engine makes one at start). */
export function createInferenceModels(): InferenceModels {
  return new ModelCache<PreparedModel>();
}

/**
 * Lends the model a request needs from the cache, building and loading it on first use;
 * a weights download reports its progress in megabytes through the request.
 */
export async function acquireModel(models: InferenceModels, spec: ModelSpec, ctx: EngineContext): Promise<Lease<PreparedModel>> {
  const key = await modelKey(spec);
  return models.acquire(
    key,
    () =>
      prepareModel(ctx.tf, spec, {
        signal: ctx.signal,
        onDownload: (p) => {
          const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
          const of = p.bytesTotal === null ? '' : ` of ${mb(p.bytesTotal)}`;
          ctx.progress({ done: p.bytesDone, total: p.bytesTotal ?? 0, message: `Downloading ${p.fileName}: ${mb(p.bytesDone)}${of} MB` });
        },
      }),
    ctx.signal,
  );
}
