import os from 'node:os';
import type { InferenceSession } from 'onnxruntime-node';
import { DEFAULT_ONNX_THREADS } from '../../api/params/inference-params';
import type { OnnxProvider } from '../../api/types/app';
import type { OnnxRuntime } from './ort-loader';

/** How a session runs. */
export interface OrtSessionOptions {
  /** Intra-op threads (default DEFAULT_ONNX_THREADS). */
  threads?: number;
  /** Default 'cpu'; 'cuda' only when the runtime reported it. */
  provider?: OnnxProvider;
  /**
   * Let idle intra-op threads spin (ORT's default). Off by default here: Graft's frozen passes
   * run beside image decoding, and spinning threads take the cores the decoder needs
   * (`graft embed` end to end, 2 threads: 174 → 195 images/s, CPU 11.0 → 9.3 ms an image).
   */
  allowSpinning?: boolean;
  /** Where ORT writes the graph after its optimisations (for inspection and tests). */
  optimizedModelFilePath?: string;
}

/** One ONNX model loaded into ONNX Runtime: a single float32 input, float32 outputs. */
export interface OrtSession {
  inputName: string;
  outputNames: string[];
  /** Runs `input` (shape `dims`) and returns each output's data, in `outputNames` order. */
  run(input: Float32Array, dims: number[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

/** Default intra-op thread count (one place for the engine, the CLI's help and the docs). */
export const DEFAULT_THREADS = DEFAULT_ONNX_THREADS;

/**
 * Threads for work that has the machine to itself: a training run's prefix pass, steps and
 * evaluation (MobileNetV2 prefix filling the cache, 500 images here: 5.2 s on 1 thread, 3.7 s on 2).
 */
export function machineThreads(): number {
  return Math.max(1, os.availableParallelism());
}

/** The session options for these settings (exported for tests). */
export function sessionOptions(options: OrtSessionOptions): InferenceSession.SessionOptions {
  const threads = options.threads ?? DEFAULT_THREADS;
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`Thread count must be a positive whole number; got ${threads}.`);
  const result: InferenceSession.SessionOptions = {
    executionProviders: [options.provider ?? 'cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  };
  if (options.allowSpinning !== true) result.extra = { session: { intra_op: { allow_spinning: '0' } } };
  if (options.optimizedModelFilePath) result.optimizedModelFilePath = options.optimizedModelFilePath;
  return result;
}

/** Opens a model (file path or bytes) in ONNX Runtime. */
export async function openOrtSession(runtime: OnnxRuntime, model: string | Uint8Array, options: OrtSessionOptions = {}): Promise<OrtSession> {
  const { ort } = runtime;
  const settings = sessionOptions(options);
  const session = typeof model === 'string' ? await ort.InferenceSession.create(model, settings) : await ort.InferenceSession.create(model, settings);
  const inputName = session.inputNames[0];
  if (session.inputNames.length !== 1 || !inputName) {
    await session.release();
    throw new Error(`Expected an ONNX model with one input; it has ${session.inputNames.length}.`);
  }
  const outputNames = [...session.outputNames];
  let disposed = false;
  return {
    inputName,
    outputNames,
    async run(input, dims) {
      if (disposed) throw new Error('The ONNX Runtime session was disposed.');
      const results = await session.run({ [inputName]: new ort.Tensor('float32', input, dims) });
      return outputNames.map((name) => {
        const data = results[name]?.data;
        if (!(data instanceof Float32Array)) throw new Error(`ONNX output "${name}" is not float32.`);
        return data;
      });
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await session.release();
    },
  };
}
