import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { LayersModel, SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import { GraftError } from '../../api/errors';
import type { Tf } from '../backend';
import { buildModel } from '../models/build-model';
import { preprocessInput, preprocessModeOf, type PreprocessMode } from '../models/preprocess';
import { ARCHITECTURES } from '../../api/model-catalog';
import type { ArchName } from '../../api/types/models';
import { BUNDLED_BASES } from '../../api/model-catalog';
import type { BundledName } from '../../api/types/models';
import type { DownloadProgress } from '../models/weights/download-manager';
import { loadWeights, type WeightsSource } from '../models/weights/load-weights';
import { modelFingerprint } from '../onnx/model-fingerprint';
import type { InferenceWeights, RuntimeChoice, RuntimeReport } from '../../api/types/inference';
import type { OnnxRuntimeStatus } from '../onnx/ort-loader';
import { DEFAULT_THREADS } from '../onnx/ort-session';
import { createFrozenForward } from '../onnx/select-frozen-forward';
import type { FrozenForward } from './frozen-forward';

/** Which model an inference request needs; everything here is part of the cache key. */
export interface ModelSpec {
  arch: ArchName;
  weights: InferenceWeights;
  /** True for classification (the ImageNet classifier); false for features. */
  includeTop: boolean;
  /** Features only: global pooling of a 4-D output; null flattens it. */
  pooling: 'avg' | 'max' | null;
  /** Features only: the layer to take them from; null for the end of the trunk. */
  layer: string | null;
  inputSize: number;
  /** The weights cache; converted ONNX graphs are cached in its `onnx/` folder. */
  cacheDir: string;
  /** Download host override; not part of the key (the file is the same). */
  weightsBaseUrl?: string;
  /** Which runtime runs the forward passes. */
  runtime: RuntimeChoice;
  /** ONNX Runtime intra-op threads. */
  threads: number;
}

/**
 * How raw 0–255 pixels are scaled for the weights: Keras `preprocess_input` for the
 * architecture's ImageNet weights (and files, which are assumed to be Keras-trained), or
 * plain x/255 for the bundled nsfwjs trunks, which were trained on 0–1 inputs.
 */
export type InputScaling = { kind: 'keras'; mode: PreprocessMode } | { kind: 'unit' };

/**
 * A model ready for inference: its frozen forward takes [n, size, size, 3] scaled floats
 * and gives [n, dims].
 */
export interface PreparedModel {
  forward: FrozenForward;
  /** Why ONNX Runtime was not used although the choice was 'auto'; null otherwise. */
  fallbackReason: string | null;
  dims: number;
  inputSize: number;
  scaling: InputScaling;
  /** The layer the output comes from (before any pooling or flattening added here). */
  layer: string;
  /** The pooling actually applied to the features, null when none was. */
  pooling: 'avg' | 'max' | null;
  weightsSource: string;
  dispose(): void;
}

/** Which runtime a prepared model runs on, for a request's reply. */
export function runtimeReport(prepared: PreparedModel): RuntimeReport {
  return { runtime: prepared.forward.runtime, runtimeDetails: prepared.forward.description, fallbackReason: prepared.fallbackReason };
}

/** What loading may report and when it must stop, and how ONNX Runtime is found. */
export interface PrepareHooks {
  signal?: AbortSignal;
  onDownload?: (progress: DownloadProgress) => void;
  /** Loads ONNX Runtime (default: onnxruntime-node, once per process); tests inject one that fails. */
  loadOnnx?: () => Promise<OnnxRuntimeStatus>;
}

/** The cache key of a spec: a weights file counts by path, size and modification time. */
export async function modelKey(spec: ModelSpec): Promise<string> {
  let weights: string;
  if (typeof spec.weights === 'string') weights = spec.weights;
  else {
    const file = path.resolve(spec.weights.file);
    const info = await stat(file).catch(() => null);
    weights = `file:${file}:${info?.size ?? 0}:${info?.mtimeMs ?? 0}`;
  }
  const { arch, includeTop, pooling, layer, inputSize, runtime, threads } = spec;
  // tfjs ignores the thread count: one model serves every count.
  return JSON.stringify({ arch, weights, includeTop, pooling, layer, inputSize, runtime, threads: runtime === 'tfjs' ? null : threads });
}

/** Scales a batch of 0–255 RGB pixels for the model; the caller owns the result. */
export function scaleInput(tf: Tf, pixels: Tensor, scaling: InputScaling): Tensor {
  return scaling.kind === 'keras' ? preprocessInput(tf, pixels, scaling.mode) : tf.tidy(() => tf.div(tf.cast(pixels, 'float32'), 255));
}

/**
 * Builds the architecture, loads its weights and, for features, cuts it at the requested
 * layer with pooling or flattening so it outputs one vector per image.
 */
export async function prepareModel(tf: Tf, spec: ModelSpec, hooks: PrepareHooks = {}): Promise<PreparedModel> {
  const display = ARCHITECTURES[spec.arch].displayName;
  const bundled = spec.weights === 'bundled' ? BUNDLED_BASES.find((b) => b.arch === spec.arch) : undefined;
  if (spec.weights === 'bundled' && !bundled) {
    throw new GraftError('bad-request', `${display} has no bundled weights; use the ImageNet weights (download) or a weights file.`);
  }
  let includeTop = spec.includeTop;
  let base = build(tf, spec, includeTop);
  try {
    // A layer of the classifier (VGG16's fc2, say) is only in the model with its top.
    if (spec.layer && !includeTop && !hasLayer(base, spec.layer)) {
      const trunk = base;
      const top = build(tf, spec, true);
      if (hasLayer(top, spec.layer)) {
        trunk.dispose();
        base = top;
        includeTop = true;
      } else {
        top.dispose();
        throw new GraftError(
          'bad-request',
          `${display} has no layer named "${spec.layer}". Layers near the end of it: ${trunk.layers.slice(-6).map((l) => l.name).join(', ')}.`,
        );
      }
    }
    const source = weightsSource(spec, includeTop, bundled?.name, hooks);
    const weightsSourceLabel = source ? (await loadWeights(tf, base, source)).source : 'none (random initial weights)';
    const scaling: InputScaling = bundled ? { kind: 'unit' } : { kind: 'keras', mode: preprocessModeOf(spec.arch) };
    const cut = spec.includeTop ? null : featureOutput(tf, base, spec);
    const model = cut?.model ?? base;
    const dims = model.outputs[0]!.shape[1];
    if (model.outputs[0]!.shape.length !== 2 || typeof dims !== 'number') {
      throw new Error(`Unexpected model output shape [${model.outputs[0]!.shape.join(', ')}].`);
    }
    const layer = cut?.layer ?? base.outputs[0]!.sourceLayer.name;
    const pooling = cut?.pooling ?? null;
    // Random weights differ on every build: caching their graph would only fill the disk.
    const cached = spec.weights !== 'none' && spec.runtime !== 'tfjs';
    const { forward, fallbackReason } = await createFrozenForward(tf, model, {
      choice: spec.runtime,
      threads: spec.threads,
      loadOnnx: hooks.loadOnnx,
      ...(cached
        ? { cacheDir: onnxCacheDir(spec.cacheDir), key: { arch: spec.arch, weights: modelFingerprint(model), inputSize: [spec.inputSize, spec.inputSize], pooling } }
        : {}),
    });
    // ONNX Runtime holds its own copy of the weights: free tfjs's (VGG16's are 550 MB).
    // The cut model shares the base's layers: disposing the base frees every weight once.
    if (forward.runtime === 'onnx') base.dispose();
    const owner = forward.runtime === 'onnx' ? null : base;
    return {
      forward,
      fallbackReason,
      dims,
      inputSize: spec.inputSize,
      scaling,
      layer,
      pooling,
      weightsSource: weightsSourceLabel,
      dispose: () => {
        forward.dispose();
        owner?.dispose();
      },
    };
  } catch (error) {
    base.dispose();
    throw error;
  }
}

/** Where converted ONNX graphs are cached: beside the weights they were made from. */
export function onnxCacheDir(weightsCacheDir: string): string {
  return path.join(weightsCacheDir, 'onnx');
}

/** The thread count a request asked for, or the measured default. */
export function threadsOrDefault(threads: number | undefined): number {
  return threads ?? DEFAULT_THREADS;
}

function build(tf: Tf, spec: ModelSpec, includeTop: boolean): LayersModel {
  return buildModel(tf, spec.arch, { includeTop, inputShape: [spec.inputSize, spec.inputSize, 3], classes: 1000 });
}

function hasLayer(model: LayersModel, name: string): boolean {
  return model.layers.some((l) => l.name === name);
}

function weightsSource(spec: ModelSpec, includeTop: boolean, bundledName: BundledName | undefined, hooks: PrepareHooks): WeightsSource | null {
  const { weights } = spec;
  if (weights === 'none') return null;
  if (weights === 'bundled') return bundledName ? { kind: 'bundled', name: bundledName } : null;
  if (weights === 'imagenet') {
    return {
      kind: 'imagenet',
      arch: spec.arch,
      includeTop,
      cacheDir: spec.cacheDir,
      baseUrl: spec.weightsBaseUrl,
      onProgress: hooks.onDownload,
      signal: hooks.signal,
    };
  }
  return { kind: 'file', path: path.resolve(weights.file) };
}

/** The features model: the requested layer (or the trunk's end), pooled or flattened to [n, dims]. */
function featureOutput(tf: Tf, base: LayersModel, spec: ModelSpec): { model: LayersModel; layer: string; pooling: 'avg' | 'max' | null } {
  const layerName = spec.layer ?? base.outputs[0]!.sourceLayer.name;
  const output = base.getLayer(layerName).output;
  if (Array.isArray(output)) throw new GraftError('bad-request', `Layer "${layerName}" has several outputs; choose a layer with one.`);
  let x: SymbolicTensor = output;
  let pooling: 'avg' | 'max' | null = null;
  if (x.shape.length === 4) {
    pooling = spec.pooling;
    const head = pooling === 'avg' ? tf.layers.globalAveragePooling2d({ name: 'graft_features_avg_pool' })
      : pooling === 'max' ? tf.layers.globalMaxPooling2d({ name: 'graft_features_max_pool' })
      : tf.layers.flatten({ name: 'graft_features_flatten' });
    x = head.apply(x) as SymbolicTensor;
  } else if (x.shape.length !== 2) {
    throw new GraftError('bad-request', `Layer "${layerName}" outputs shape [${x.shape.join(', ')}]; choose a convolutional or dense layer.`);
  }
  // A fixed name (tfjs numbers unnamed models), so the same model fingerprints the same in every process.
  return { model: tf.model({ inputs: base.inputs, outputs: x, name: `${base.name}_features` }), layer: layerName, pooling };
}
