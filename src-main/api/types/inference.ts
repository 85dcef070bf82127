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

/** What `classify` says about one image: its top classes, or why it could not be read. */
export type ClassifiedImage = { path: string; predictions: ImagenetPrediction[] } | { path: string; error: string };

/** Parameters of the engine's `classify` request. */
export interface ClassifyParams {
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
export interface ClassifyResult {
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
export interface EmbedParams {
  arch: ArchName;
  weights: InferenceWeights;
  images: string[];
  /** Take features from this layer (by Keras name) rather than the end of the trunk. */
  layer?: string;
  /** Global pooling of the features; without it a 4-D output is flattened. Default 'avg' when no layer is named. */
  pooling?: 'avg' | 'max';
  inputSize?: number;
  /** Images per forward pass (default 16). */
  batchSize?: number;
  /** The `.npy` file to write (float32, shape [rows, dims]). */
  out: string;
  /** The CSV index (row,path); `out` with `.npy` replaced by `.csv` when absent. */
  indexOut?: string;
  cacheDir?: string;
  weightsBaseUrl?: string;
}

/** Result of `embed`: what was written and which images were left out. */
export interface EmbedResult {
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
