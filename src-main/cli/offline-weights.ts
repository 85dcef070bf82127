import fs from 'node:fs';
import path from 'node:path';
import { GraftError } from '../api/errors';
import { ARCHITECTURES } from '../api/model-catalog';
import type { InferenceWeights } from '../api/types/inference';
import type { ArchName } from '../api/types/models';
import { imagenetWeightsFile, KERAS_APPLICATIONS_BASE_URL } from '../engine/models/weights/imagenet-files';

/** Where a verb finds ImageNet weights; tests point the download at a server on loopback. */
export interface WeightsSettings {
  /** Read for $GRAFT_CACHE_DIR (and $XDG_CACHE_HOME). */
  env?: NodeJS.ProcessEnv;
  /** Replaces Keras's download address (tests; a mirror). */
  weightsBaseUrl?: string;
}

/** The ImageNet weights file a verb needs: which architecture, with or without its classifier, at which input size. */
export interface ImagenetNeed {
  arch: ArchName;
  includeTop: boolean;
  /** The input side asked for; MobileNetV2 has one file per size (others: the architecture's default). */
  inputSize?: number;
}

/** The official file for a need, its URL and where the cache expects it. */
export function imagenetWeightsLocation(need: ImagenetNeed, cacheDir: string, baseUrl: string = KERAS_APPLICATIONS_BASE_URL) {
  const size = need.inputSize ?? ARCHITECTURES[need.arch].defaultInputSize;
  const file = imagenetWeightsFile(need.arch, need.includeTop, { rows: size, cols: size });
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return { fileName: file.fileName, url: new URL(file.urlPath, base).href, cached: path.join(cacheDir, file.fileName) };
}

/** What to do without network: the file, its official URL, the cache folder and the --weights flag. */
export function offlineWeightsAdvice(need: ImagenetNeed, cacheDir: string): string[] {
  const where = imagenetWeightsLocation(need, cacheDir);
  return [
    `The ImageNet weights of ${ARCHITECTURES[need.arch].displayName} are the file ${where.fileName}. Without network here:`,
    `1. download ${where.url} on a machine that has internet access;`,
    `2. copy it into ${cacheDir}${path.sep} (the weights cache: $GRAFT_CACHE_DIR, else $XDG_CACHE_HOME/graft/models, else ~/.cache/graft/models), where every graft command finds it,`,
    `   or give it to this command with --weights ${path.join('/path/to', where.fileName)}`,
  ];
}

/**
 * Adds the offline advice to a failure of a verb that asked for ImageNet weights, when the
 * failure is the download (an io error while the file is still not in the cache). Other
 * failures pass through unchanged.
 */
export function withOfflineAdvice(error: unknown, weights: InferenceWeights, need: ImagenetNeed, cacheDir: string): unknown {
  if (weights !== 'imagenet' || !(error instanceof GraftError) || error.code !== 'io') return error;
  if (fs.existsSync(imagenetWeightsLocation(need, cacheDir).cached)) return error;
  return new GraftError('io', error.message, { ...error.details, help: offlineWeightsAdvice(need, cacheDir) });
}
