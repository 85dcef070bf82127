import type { EngineContext } from '../worker/engine-context';
import { ARCHITECTURES } from '../../api/model-catalog';
import type { ClassifyParams } from '../../api/types/inference';
import { onnxRuntimeOnce, type OnnxRuntimeStatus } from '../onnx/ort-loader';
import { defaultWeightsCacheDir } from './weights-cache-dir';
import { modelKey, prepareModel, threadsOrDefault, type ModelSpec, type PreparedModel } from './inference-model';
import { ModelCache, type Lease } from './model-cache';

/** The context of a request that loads a model and reports inference events. */
export type InferenceContext = EngineContext<'classify'> | EngineContext<'embed'>;

/** The engine's prepared models (each holding its tfjs model or ONNX Runtime session), one cache per process. */
export interface InferenceModels {
  cache: ModelCache<PreparedModel>;
  /** How ONNX Runtime is loaded for the models' forward passes. */
  loadOnnx: () => Promise<OnnxRuntimeStatus>;
  /** Frees every idle model and session. */
  dispose(): void;
}

/** How the engine's models find ONNX Runtime; tests inject a loader that fails. */
export interface InferenceModelsOptions {
  loadOnnx?: () => Promise<OnnxRuntimeStatus>;
}

/** A fresh, empty model cache (the engine makes one at start). */
export function createInferenceModels(options: InferenceModelsOptions = {}): InferenceModels {
  const cache = new ModelCache<PreparedModel>();
  return { cache, loadOnnx: options.loadOnnx ?? onnxRuntimeOnce, dispose: () => cache.dispose() };
}

/**
 * Lends the model a request needs from the cache, building and loading it (and opening its
 * ONNX Runtime session) on first use; a weights download reports its progress in megabytes
 * through the request.
 */
export async function acquireModel(models: InferenceModels, spec: ModelSpec, ctx: InferenceContext): Promise<Lease<PreparedModel>> {
  const key = await modelKey(spec);
  return models.cache.acquire(
    key,
    () =>
      prepareModel(ctx.tf, spec, {
        signal: ctx.signal,
        loadOnnx: models.loadOnnx,
        onDownload: (p) => {
          const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
          const of = p.bytesTotal === null ? '' : ` of ${mb(p.bytesTotal)}`;
          ctx.emit({ phase: 'download', done: p.bytesDone, total: p.bytesTotal ?? 0, perSecond: null, message: `Downloading ${p.fileName}: ${mb(p.bytesDone)}${of} MB` });
        },
      }),
    ctx.signal,
  );
}

/** The fields every inference request carries to choose its model and runtime. */
export type ModelRequest = Pick<ClassifyParams, 'arch' | 'weights' | 'images' | 'cacheDir' | 'weightsBaseUrl' | 'runtime' | 'threads'>;

/**
 * Says which model is loading, then lends the one a request needs: its architecture and
 * weights, cut as `cut` says (top, layer, pooling) at `cut.inputSize`, on the runtime asked for.
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
    runtime: request.runtime ?? 'auto',
    threads: threadsOrDefault(request.threads),
  };
  return acquireModel(models, spec, ctx);
}
