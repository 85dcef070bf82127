import { createHash } from 'node:crypto';
import type { LayersModel } from '@tensorflow/tfjs';

/**
 * A content hash of a model's topology and every weight value: the cache key part for models
 * that do not come from a weights file (trained heads, grafted models). Reads all weights once.
 */
export function modelFingerprint(model: LayersModel): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(model.toJSON(null, false)));
  for (const weight of model.weights) {
    hash.update(`${weight.originalName}:${weight.shape.join('x')}:${weight.dtype};`);
    const data = weight.read().dataSync();
    hash.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  return hash.digest('hex');
}
