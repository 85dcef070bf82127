import fs from 'node:fs';
import type { WeightsStatus, WeightsStatusParams } from '../../api/types/models';
import { defaultWeightsCacheDir } from '../inference/weights-cache-dir';
import { cachedWeightsPath } from '../models/weights/download-manager';
import { imagenetWeightsFile, KERAS_APPLICATIONS_BASE_URL } from '../models/weights/imagenet-files';

/**
 * The engine's `weightsStatus`: whether the ImageNet file an architecture would train from
 * (without its top, at the input size) is in the weights cache, with its official address
 * and the path it belongs at — what a user on an offline machine needs to place it by hand.
 */
export async function runWeightsStatus(params: WeightsStatusParams): Promise<WeightsStatus> {
  const file = imagenetWeightsFile(params.arch, false, { rows: params.inputSize, cols: params.inputSize });
  const path = cachedWeightsPath(file, defaultWeightsCacheDir());
  let bytes: number | null = null;
  try {
    const stat = await fs.promises.stat(path);
    if (stat.isFile()) bytes = stat.size;
  } catch {
    // Not downloaded yet.
  }
  return { arch: params.arch, file: file.fileName, url: KERAS_APPLICATIONS_BASE_URL + file.urlPath, path, present: bytes !== null, bytes };
}
