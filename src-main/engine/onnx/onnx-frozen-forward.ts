import type { LayersModel } from '@tensorflow/tfjs';
import { GraftError } from '../../api/errors';
import { checkBatch, type FrozenForward, type FrozenForwardOptions } from '../inference/frozen-forward';
import { convertToOnnx } from './convert/convert-model';
import { layerGraph } from './convert/layer-graph';
import { cachedGraph, type GraphCacheKey } from './graph-cache';
import { modelFingerprint } from './model-fingerprint';
import { onnxRuntimeOnce, type OnnxRuntime } from './ort-loader';
import { DEFAULT_THREADS, openOrtSession, type OrtSession, type OrtSessionOptions } from './ort-session';
import { ortThread } from './ort-thread/ort-thread';

/** Options of the ONNX Runtime forward. */
export interface OnnxFrozenForwardOptions extends FrozenForwardOptions, Omit<OrtSessionOptions, 'optimizedModelFilePath'> {
  /** A loaded runtime; default: onnxruntime-node, loaded once per process (fails with 'engine-unavailable'). */
  onnxRuntime?: OnnxRuntime;
  /** Where converted graphs are cached; without it the graph is converted in memory each time. */
  cacheDir?: string;
  /**
   * The cache key without the cut (taken from `outputs`). Default: architecture = model name,
   * weights = a hash of the model's topology and weights (reads every weight once).
   */
  key?: Omit<GraphCacheKey, 'cut'>;
  /** Passed to ONNX Runtime, for tests that inspect the optimised graph. */
  optimizedModelFilePath?: string;
  /**
   * Where the session runs: on the engine's ONNX Runtime thread ('own': the calling thread stays
   * free to decode the next images and answer messages while a pass runs), or on the calling
   * thread ('caller', the default; also what 'own' falls back to when the thread cannot start).
   */
  thread?: 'own' | 'caller';
}

/** What the ONNX forward also reports beyond the seam: where its graph came from. */
export interface OnnxFrozenForward extends FrozenForward {
  readonly runtime: 'onnx';
  /** The cached graph file, or null when converted in memory. */
  readonly graphPath: string | null;
  /** True when the graph came from the cache without converting. */
  readonly cacheHit: boolean;
}

/**
 * The ONNX Runtime implementation of the seam: converts the model (or its prefix up to
 * `outputs`) to ONNX — or takes it from the disk cache — and opens a session. The caller
 * keeps ownership of `model`; it is not needed after this returns.
 */
export async function createOnnxFrozenForward(model: LayersModel, options: OnnxFrozenForwardOptions = {}): Promise<OnnxFrozenForward> {
  const runtime = options.onnxRuntime ?? (await requireRuntime());
  const provider = options.provider ?? 'cpu';
  if (!runtime.providers.includes(provider)) throw new GraftError('engine-unavailable', `ONNX Runtime has no working ${provider} provider here.`);
  const graph = layerGraph(model, options.outputs);
  const inputShape = graph.input.tensor.shape.slice(1) as number[];
  const outputShapes = graph.outputs.map((o) => o.ref.tensor.shape.slice(1) as number[]);
  if ([inputShape, ...outputShapes].some((s) => s.some((d) => d === null))) {
    throw new GraftError('bad-request', `Model "${model.name}" has no fixed input or output size; ONNX conversion needs one.`);
  }
  const convert = (): Uint8Array => convertToOnnx(model, { outputs: options.outputs }).bytes;

  let source: string | Uint8Array;
  let graphPath: string | null = null;
  let cacheHit = false;
  if (options.cacheDir) {
    const key: GraphCacheKey = {
      ...(options.key ?? { arch: model.name, weights: modelFingerprint(model), inputSize: [inputShape[0] ?? 0, inputShape[1] ?? 0], pooling: null }),
      cut: options.outputs ? [...options.outputs] : [],
    };
    const cached = await cachedGraph(options.cacheDir, key, convert);
    source = graphPath = cached.path;
    cacheHit = cached.hit;
  } else {
    source = convert();
  }

  const threads = options.threads ?? DEFAULT_THREADS;
  const sessionOptions: OrtSessionOptions = { threads, provider, allowSpinning: options.allowSpinning, optimizedModelFilePath: options.optimizedModelFilePath };
  const opened = options.thread === 'own' ? await openOnOwnThread(runtime, source, sessionOptions) : { session: await openOrtSession(runtime, source, sessionOptions), own: false };
  const { session } = opened;
  if (session.outputNames.length !== outputShapes.length) {
    await session.dispose();
    throw new Error(`The ONNX graph has ${session.outputNames.length} outputs; ${outputShapes.length} were asked for.`);
  }
  return {
    runtime: 'onnx',
    description: `onnxruntime-node ${runtime.version}, ${provider}, ${threads} thread${threads === 1 ? '' : 's'}${opened.own ? ', off the main thread' : ''}`,
    inputShape,
    outputLayers: graph.outputs.map((o) => o.name),
    outputShapes,
    graphPath,
    cacheHit,
    async run(batch, n) {
      checkBatch(batch, n, inputShape);
      return session.run(batch, [n, ...inputShape]);
    },
    dispose() {
      void session.dispose();
    },
  };
}

/** Opens the session on the engine's ONNX Runtime thread, or on this one when that thread cannot start or open it. */
async function openOnOwnThread(runtime: OnnxRuntime, source: string | Uint8Array, options: OrtSessionOptions): Promise<{ session: OrtSession; own: boolean }> {
  try {
    return { session: await ortThread().open(source, options), own: true };
  } catch {
    return { session: await openOrtSession(runtime, source, options), own: false };
  }
}

async function requireRuntime(): Promise<OnnxRuntime> {
  const status = await onnxRuntimeOnce();
  if (!status.available) throw new GraftError('engine-unavailable', status.error);
  return status.runtime;
}
