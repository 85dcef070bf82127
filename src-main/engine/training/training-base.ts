import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import { BUNDLED_BASES, ARCHITECTURES } from '../../api/model-catalog';
import { GraftError } from '../../api/errors';
import type { BaseSpec } from '../../api/types/runs';
import type { Tf } from '../backend';
import type { InputScaling } from '../inference/inference-model';
import { defaultWeightsCacheDir } from '../inference/weights-cache-dir';
import { buildModel } from '../models/build-model';
import { preprocessModeOf } from '../models/preprocess';
import type { DownloadProgress } from '../models/weights/download-manager';
import { loadWeights, type WeightsSource } from '../models/weights/load-weights';

/** A run's base: the trunk without its top, its weights loaded, and how its inputs are scaled. */
export interface TrainingBase {
  model: LayersModel;
  inputSize: number;
  scaling: InputScaling;
  /** What was loaded, in words. */
  weightsSource: string;
  /** Names the weights for the activation cache: changes whenever the weights could. */
  weightsIdentity: string;
}

/** What loading the base may report and when it must stop. */
export interface BaseHooks {
  signal?: AbortSignal;
  onDownload?: (progress: DownloadProgress) => void;
  weightsCacheDir?: string;
}

/**
 * Builds the architecture without its top at the run's input size and loads the run's
 * weights: the bundled trunk (pixels scaled to 0–1, as it was trained), Keras's ImageNet file
 * (its `preprocess_input` mode), a file (assumed Keras-trained), or none (from scratch).
 */
export async function buildTrainingBase(tf: Tf, base: BaseSpec, hooks: BaseHooks = {}): Promise<TrainingBase> {
  const spec = ARCHITECTURES[base.arch];
  const inputSize = base.inputSize ?? spec.defaultInputSize;
  const bundled = base.weights === 'bundled' ? BUNDLED_BASES.find((b) => b.arch === base.arch) : undefined;
  if (base.weights === 'bundled' && !bundled) {
    throw new GraftError('bad-request', `${spec.displayName} has no bundled weights; use the ImageNet weights (download), a weights file, or none (from scratch).`);
  }
  const model = buildModel(tf, base.arch, { includeTop: false, inputShape: [inputSize, inputSize, 3] });
  try {
    let source: WeightsSource | null = null;
    let identity = 'none';
    if (bundled) {
      source = { kind: 'bundled', name: bundled.name };
      identity = `bundled:${bundled.name}`;
    } else if (base.weights === 'imagenet') {
      source = {
        kind: 'imagenet',
        arch: base.arch,
        includeTop: false,
        cacheDir: hooks.weightsCacheDir ?? defaultWeightsCacheDir(),
        onProgress: hooks.onDownload,
        signal: hooks.signal,
      };
      identity = `imagenet:${base.arch}`;
    } else if (typeof base.weights === 'object') {
      const file = path.resolve(base.weights.file);
      const info = await stat(file).catch(() => null);
      source = { kind: 'file', path: file };
      identity = `file:${file}:${info?.size ?? 0}:${info?.mtimeMs ?? 0}`;
    }
    const weightsSource = source ? (await loadWeights(tf, model, source)).source : 'none (random initial weights)';
    return { model, inputSize, scaling: scalingOf(base), weightsSource, weightsIdentity: identity };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** How a base's inputs are scaled: 0–1 for the bundled trunks (as they were trained), else Keras's `preprocess_input` mode. */
export function scalingOf(base: BaseSpec): InputScaling {
  return base.weights === 'bundled' ? { kind: 'unit' } : { kind: 'keras', mode: preprocessModeOf(base.arch) };
}

/** The input side of a base. */
export function inputSizeOf(base: BaseSpec): number {
  return base.inputSize ?? ARCHITECTURES[base.arch].defaultInputSize;
}
