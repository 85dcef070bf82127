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
import type { InferenceWeights } from '../../api/types/inference';

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
  cacheDir: string;
  /** Download host override; not part of the key (the file is the same). */
  weightsBaseUrl?: string;
}

/**
 * How raw 0–255 pixels are scaled for the weights: Keras `preprocess_input` for the
 * architecture's ImageNet weights (and files, which are assumed to be Keras-trained), or
 * plain x/255 for the bundled nsfwjs trunks, which were trained on 0–1 inputs.
 */
export type InputScaling = { kind: 'keras'; mode: PreprocessMode } | { kind: 'unit' };

/** A model ready for inference: input [n, size, size, 3] floats, output [n, dims]. */
export interface PreparedModel {
  model: LayersModel;
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

/** What loading may report and when it must stop. */
export interface PrepareHooks {
  signal?: AbortSignal;
  onDownload?: (progress: DownloadProgress) => void;
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
  const { arch, includeTop, pooling, layer, inputSize } = spec;
  return JSON.stringify({ arch, weights, includeTop, pooling, layer, inputSize });
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
    const owner = base;
    return {
      model,
      dims,
      inputSize: spec.inputSize,
      scaling,
      layer: cut?.layer ?? base.outputs[0]!.sourceLayer.name,
      pooling: cut?.pooling ?? null,
      weightsSource: weightsSourceLabel,
      // The cut model shares the base's layers: disposing the base frees every weight once.
      dispose: () => owner.dispose(),
    };
  } catch (error) {
    base.dispose();
    throw error;
  }
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
  return { model: tf.model({ inputs: base.inputs, outputs: x }), layer: layerName, pooling };
}
