import type { EngineContext } from '../worker/engine-context';
import { ARCHITECTURES } from '../../api/model-catalog';
import type { ClassifyParams } from '../../api/types/inference';
import { defaultWeightsCacheDir } from './weights-cache-dir';
import { modelKey, prepareModel, type ModelSpec, type PreparedModel } from './inference-model';
import { ModelCache, type Lease } from './model-cache';

/** The context of a request that loads a model and reports inference events. */
export type InferenceContext = EngineContext<'classify'> | EngineContext<'embed'>;

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
export async function acquireModel(models: InferenceModels, spec: ModelSpec, ctx: InferenceContext): Promise<Lease<PreparedModel>> {
  const key = await modelKey(spec);
  return models.acquire(
    key,
    () =>
      prepareModel(ctx.tf, spec, {
        signal: ctx.signal,
        onDownload: (p) => {
          const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
          const of = p.bytesTotal === null ? '' : ` of ${mb(p.bytesTotal)}`;
          ctx.emit({ phase: 'download', done: p.bytesDone, total: p.bytesTotal ?? 0, perSecond: null, message: `Downloading ${p.fileName}: ${mb(p.bytesDone)}${of} MB` });
        },
      }),
    ctx.signal,
  );
}

/** The fields every inference request carries to choose its model. */
export type ModelRequest = Pick<ClassifyParams, 'arch' | 'weights' | 'images' | 'cacheDir' | 'weightsBaseUrl'>;

/**
 * Says which model is loading, then lends the one a request needs: its architecture and
 * weights, cut as `cut` says (top, layer, pooling) at `cut.inputSize`.
 */
export function acquireForRequest(
  models: InferenceModels,
  request: ModelRequest,
  cut: Pick<ModelSpec, 'includeTop' | 'layer' | 'pooling' | 'inputSize'>,
  ctx: InferenceContext,
): Promise<Lease<PreparedModel>> {
  ctx.emit({ phase: 'loading', done: 0, total: request.images.length, perSecond: null, message: `Loading ${ARCHITECTURES[request.arch].displayName}…` });
  const spec: ModelSpec = {
    arch: request.arch,
    weights: request.weights,
    ...cut,
    cacheDir: request.cacheDir ?? defaultWeightsCacheDir(),
    weightsBaseUrl: request.weightsBaseUrl,
  };
  return acquireModel(models, spec, ctx);
}
