/**
 * Plain-data types of the engine's inference requests (classify, embed). Types only; the
 * engine protocol, the CLI and the API import them.
 */
import type { ImagenetPrediction } from './models';
import type { ArchName } from './models';

/**
 * Which weights to put in the model: Keras's ImageNet file (downloaded once into the cache),
 * the trunk bundled with the app (offline, no ImageNet head), random initial weights, or a
 * Keras `.h5`/`.keras` or tfjs `model.json` file.
 */
export type InferenceWeights = 'imagenet' | 'bundled' | 'none' | { file: string };

/** Which runtime runs frozen forward passes: ONNX Runtime where it loads ('auto'), or one forced. */
export type RuntimeChoice = 'auto' | 'onnx' | 'tfjs';

/** The runtime that actually ran a frozen forward pass. */
export type ForwardRuntime = 'onnx' | 'tfjs';

/** How an inference request runs its forward passes (part of its params). */
export interface RuntimeOptions {
  /** Default 'auto': ONNX Runtime when it loads and converts the model, tfjs otherwise. */
  runtime?: RuntimeChoice;
  /** ONNX Runtime intra-op threads (default: the engine's measured best); ignored by tfjs. */
  threads?: number;
}

/** What ran an inference request, for the reply. */
export interface RuntimeReport {
  runtime: ForwardRuntime;
  /** In words, e.g. "onnxruntime-node 1.30.0, cpu, 1 thread" or "tfjs wasm". */
  runtimeDetails: string;
  /** Why ONNX Runtime was not used although 'auto' would have preferred it; null otherwise. */
  fallbackReason: string | null;
}

/** What `classify` says about one image: its top classes, or why it could not be read. */
export type ClassifiedImage = { path: string; predictions: ImagenetPrediction[] } | { path: string; error: string };

/** Parameters of the engine's `classify` request. */
export interface ClassifyParams extends RuntimeOptions {
  arch: ArchName;
  weights: InferenceWeights;
  /** Image file paths, classified in this order. */
  images: string[];
  /** How many classes to list per image. */
  top: number;
  /** Square input side; the architecture's default when absent. */
  inputSize?: number;
  /** Where ImageNet weights are downloaded to; the engine's default cache when absent. */
  cacheDir?: string;
  /** Replaces the Keras download host (mirrors, tests). */
  weightsBaseUrl?: string;
}

/** Result of `classify`: one entry per image, in request order. */
export interface ClassifyResult extends RuntimeReport {
  /** What was loaded, in words (e.g. the weights file name). */
  weightsSource: string;
  inputSize: number;
  results: ClassifiedImage[];
}

/** An image that produced no row, with the reason in words. */
export interface FailedImage {
  path: string;
  reason: string;
}

/** Parameters of the engine's `embed` request. */
export interface EmbedParams extends RuntimeOptions {
  arch: ArchName;
  weights: InferenceWeights;
  images: string[];
  /** Take features from this layer (by Keras name) rather than the end of the trunk. */
  layer?: string;
  /** Global pooling of the features; without it a 4-D output is flattened. Default 'avg' when no layer is named. */
  pooling?: 'avg' | 'max';
  inputSize?: number;
  /** Images per forward pass (default DEFAULT_EMBED_BATCH_SIZE). */
  batchSize?: number;
  /** The `.npy` file to write (float32, shape [rows, dims]). */
  out: string;
  /** The CSV index (row,path); `out` with `.npy` replaced by `.csv` when absent. */
  indexOut?: string;
  cacheDir?: string;
  weightsBaseUrl?: string;
}

/** Result of `embed`: what was written and which images were left out. */
export interface EmbedResult extends RuntimeReport {
  rows: number;
  dims: number;
  out: string;
  indexOut: string;
  /** The layer the features come from (the pooling layer's input when pooled). */
  layer: string;
  pooling: 'avg' | 'max' | null;
  inputSize: number;
  weightsSource: string;
  failed: FailedImage[];
  /** Time spent embedding, model loading excluded. */
  seconds: number;
}

/** Parameters of the engine's `onnxCheck` request (the parity check of `graft doctor --onnx`). */
export interface OnnxCheckParams {
  /** Square input side of the MobileNetV2 checked (default 96). */
  inputSize?: number;
  /** Generated images run through both runtimes (default 4). */
  images?: number;
  threads?: number;
}

/** One output compared between the runtimes. */
export interface OnnxCheckOutput {
  /** The layer it comes from. */
  layer: string;
  /** Values per image. */
  size: number;
  /** Largest |ONNX − tfjs| over every image and value. */
  maxAbsDiff: number;
  /** Largest |value| tfjs gave, to put the difference in scale. */
  maxAbs: number;
}

/** Result of `onnxCheck`: the same inputs through ONNX Runtime and tfjs, compared. */
export interface OnnxCheckResult {
  /** What was checked, in words. */
  model: string;
  inputSize: number;
  images: number;
  /** The ONNX side, e.g. "onnxruntime-node 1.30.0, cpu, 1 thread". */
  onnx: string;
  /** The tfjs side, e.g. "tfjs wasm". */
  tfjs: string;
  outputs: OnnxCheckOutput[];
  /** Largest difference over every output. */
  maxAbsDiff: number;
  /** The agreement Graft promises between the runtimes. */
  tolerance: number;
  /** True when maxAbsDiff ≤ tolerance. */
  agrees: boolean;
}
