import type { PreprocessingSpec } from '../../api/types/export';
import { applyPreprocessing } from '../export/preprocessing-spec';
import { ImageLoadError, loadImageRgb } from '../inference/load-image';

/** One image of a batch: its row in the batch data, or why it has none. */
export type BatchEntry = { path: string; row: number } | { path: string; reason: string };

/** A batch decoded and preprocessed as `preprocessing.json` says. */
export interface PreprocessedBatch {
  /** Every image of the batch, in request order. */
  entries: BatchEntry[];
  /** `rows` images back to back (NHWC float32); valid until the next batch is asked for. */
  data: Float32Array;
  rows: number;
}

function reasonOf(error: unknown): string {
  return error instanceof ImageLoadError ? error.message : `could not be read (${(error as Error).message.split('\n')[0]})`;
}

/** Decodes one batch into `buffer` (sharp decodes on its own threads), squeezing out the images that failed. Never rejects. */
async function decodeBatch(paths: readonly string[], spec: PreprocessingSpec, buffer: Float32Array): Promise<PreprocessedBatch> {
  const perImage = spec.width * spec.height * 3;
  const reasons = await Promise.all(
    paths.map(async (file, i): Promise<string | null> => {
      try {
        const pixels = await loadImageRgb(file, { width: spec.width, height: spec.height });
        buffer.set(applyPreprocessing(pixels, spec), i * perImage);
        return null;
      } catch (error) {
        return reasonOf(error);
      }
    }),
  );
  const entries: BatchEntry[] = [];
  let rows = 0;
  reasons.forEach((reason, i) => {
    const file = paths[i]!;
    if (reason !== null) return void entries.push({ path: file, reason });
    if (rows !== i) buffer.copyWithin(rows * perImage, i * perImage, (i + 1) * perImage);
    entries.push({ path: file, row: rows++ });
  });
  return { entries, data: buffer.subarray(0, rows * perImage), rows };
}

/**
 * Yields the images in batches, decoded and preprocessed by the spec (the steps an exported
 * model documents in `preprocessing.json`), decoding the next batch while the caller runs the
 * model on the current one. Two buffers take turns, so nothing is allocated per batch.
 */
export async function* preprocessedBatches(paths: readonly string[], batchSize: number, spec: PreprocessingSpec): AsyncGenerator<PreprocessedBatch> {
  const capacity = Math.min(batchSize, paths.length) * spec.width * spec.height * 3;
  const buffers = [new Float32Array(capacity), new Float32Array(capacity)];
  let turn = 0;
  const decode = (from: number) => (from < paths.length ? decodeBatch(paths.slice(from, from + batchSize), spec, buffers[turn++ % 2]!) : null);
  let next = decode(0);
  for (let from = 0; next; from += batchSize) {
    const current = await next;
    // The caller is done with the batch before this one: its buffer is free again.
    next = decode(from + batchSize);
    yield current;
  }
}
