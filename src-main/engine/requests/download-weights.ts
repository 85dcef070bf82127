import type { DownloadedWeights, DownloadWeightsParams } from '../../api/types/models';
import { defaultWeightsCacheDir } from '../inference/weights-cache-dir';
import { cachedWeightsPath, downloadWeightsFile } from '../models/weights/download-manager';
import { imagenetWeightsFile } from '../models/weights/imagenet-files';
import type { EngineContext } from '../worker/engine-context';

/**
 * The engine's `downloadWeights`: Keras's ImageNet file of an architecture (without its top,
 * at the input size when MobileNetV2 has one for it) into the weights cache, with progress,
 * resumable, checked against Keras's hash; answers at once when it is already there.
 */
export async function runDownloadWeights(params: DownloadWeightsParams, ctx: EngineContext<'downloadWeights'>): Promise<DownloadedWeights> {
  const cacheDir = params.cacheDir ?? defaultWeightsCacheDir();
  const file = imagenetWeightsFile(params.arch, false, { rows: params.inputSize, cols: params.inputSize });
  const path = await downloadWeightsFile(file, {
    cacheDir,
    baseUrl: params.baseUrl,
    signal: ctx.signal,
    onProgress: (p) => ctx.emit({ done: p.bytesDone, total: p.bytesTotal ?? 0, message: `${file.fileName}: ${(p.bytesDone / 1e6).toFixed(1)} MB` }),
  });
  return { arch: params.arch, file: file.fileName, path, cached: path === cachedWeightsPath(file, cacheDir) };
}
