import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../base/atomic-write';
import { errnoCode } from '../../base/fs-errors';

/** Bumped whenever the converter's output changes, so graphs cached by an older Graft are not reused. */
export const CONVERTER_VERSION = 1;

/** Everything a converted graph depends on. */
export interface GraphCacheKey {
  /** Architecture name, or a name for a custom model. */
  arch: string;
  /** Identifies the weights (a content hash, or path + size + mtime of the weights file). */
  weights: string;
  /** [height, width] of the input. */
  inputSize: readonly [number, number];
  /** Layer names the outputs come from; empty for the model's own outputs. */
  cut: readonly string[];
  /** Pooling added after the cut, if any. */
  pooling: 'avg' | 'max' | null;
}

/** The file a key maps to: readable architecture prefix, then a hash of the whole key. */
export function graphCachePath(cacheDir: string, key: GraphCacheKey): string {
  const canonical = JSON.stringify({
    v: CONVERTER_VERSION,
    arch: key.arch,
    weights: key.weights,
    inputSize: [...key.inputSize],
    cut: [...key.cut],
    pooling: key.pooling,
  });
  const hash = createHash('sha256').update(canonical).digest('hex').slice(0, 24);
  const prefix = key.arch.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40) || 'model';
  return path.join(cacheDir, `${prefix}-${key.inputSize[0]}x${key.inputSize[1]}-${hash}.onnx`);
}

/**
 * Returns the path of the converted graph for `key`, converting (and writing atomically) only
 * when no complete file is there yet. Concurrent writers are safe: the last rename wins and
 * both wrote the same bytes.
 */
export async function cachedGraph(cacheDir: string, key: GraphCacheKey, convert: () => Uint8Array | Promise<Uint8Array>): Promise<{ path: string; hit: boolean }> {
  const file = graphCachePath(cacheDir, key);
  try {
    const stat = await fs.stat(file);
    if (stat.isFile() && stat.size > 0) return { path: file, hit: true };
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') throw error;
  }
  await writeFileAtomic(file, await convert());
  return { path: file, hit: false };
}
