import type { InputScaling } from './inference-model';
import { ImageLoadError, loadImageRgb } from './load-image';
import { scalePixels } from './scale-pixels';

/** One image of a batch: its pixels, or why it has none. */
export type BatchItem = { path: string; pixels: Uint8Array } | { path: string; reason: string };

/** One image of a scaled batch: the row it has in the batch, or why it has none. */
export type ScaledItem = { path: string; row: number } | { path: string; reason: string };

/** A batch decoded and scaled for a FrozenForward. */
export interface ScaledBatch {
  /** Every image of the batch, in request order. */
  items: ScaledItem[];
  /** `rows` images back to back (NHWC float32); valid until the next batch is asked for. */
  data: Float32Array;
  rows: number;
}

/** The reason an image produced no pixels, in words. */
function failureReason(error: unknown): string {
  return error instanceof ImageLoadError ? error.message : `could not be read (${(error as Error).message})`;
}

/** Decodes one batch of images at once (sharp works on its own threads); never rejects. */
export async function loadBatch(paths: readonly string[], size: number): Promise<BatchItem[]> {
  return Promise.all(
    paths.map(async (file): Promise<BatchItem> => {
      try {
        return { path: file, pixels: await loadImageRgb(file, { width: size, height: size }) };
      } catch (error) {
        return { path: file, reason: failureReason(error) };
      }
    }),
  );
}

/**
 * Decodes a batch straight into `buffer`, each image scaled into its slot as soon as it is
 * decoded; the images that failed are then squeezed out so the rows are contiguous. Never rejects.
 */
async function decodeInto(paths: readonly string[], side: number, scaling: InputScaling, buffer: Float32Array): Promise<ScaledBatch> {
  const perImage = side * side * 3;
  const reasons = await Promise.all(
    paths.map(async (file, i): Promise<string | null> => {
      try {
        const pixels = await loadImageRgb(file, { width: side, height: side });
        scalePixels(pixels, scaling, buffer.subarray(i * perImage, (i + 1) * perImage));
        return null;
      } catch (error) {
        return failureReason(error);
      }
    }),
  );
  const items: ScaledItem[] = [];
  let rows = 0;
  reasons.forEach((reason, i) => {
    const file = paths[i]!;
    if (reason !== null) return void items.push({ path: file, reason });
    if (rows !== i) buffer.copyWithin(rows * perImage, i * perImage, (i + 1) * perImage);
    items.push({ path: file, row: rows++ });
  });
  return { items, data: buffer.subarray(0, rows * perImage), rows };
}

/**
 * Yields the images in batches, decoded and scaled for the model, decoding the next batch
 * while the caller runs the model on the current one, so decoding (on sharp's threads) and
 * the forward pass overlap. Two batch buffers take turns, so nothing is allocated per batch.
 */
export async function* scaledBatches(paths: readonly string[], batchSize: number, side: number, scaling: InputScaling): AsyncGenerator<ScaledBatch> {
  const capacity = Math.min(batchSize, paths.length) * side * side * 3;
  const buffers = [new Float32Array(capacity), new Float32Array(capacity)];
  let turn = 0;
  const decode = (from: number) => (from < paths.length ? decodeInto(paths.slice(from, from + batchSize), side, scaling, buffers[turn++ % 2]!) : null);
  let next = decode(0);
  for (let from = 0; next; from += batchSize) {
    const current = await next;
    // The caller has finished with the batch before this one: its buffer is free again.
    next = decode(from + batchSize);
    yield current;
  }
}
