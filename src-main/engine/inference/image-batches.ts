import type { Tensor } from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import { scaleInput, type PreparedModel } from './inference-model';
import { ImageLoadError, loadImageRgb } from './load-image';

/** One image of a batch: its pixels, or why it has none. */
export type BatchItem = { path: string; pixels: Uint8Array } | { path: string; reason: string };

/** Decodes one batch of images at once (sharp works on its own threads); never rejects. */
export async function loadBatch(paths: readonly string[], size: number): Promise<BatchItem[]> {
  return Promise.all(
    paths.map(async (file): Promise<BatchItem> => {
      try {
        return { path: file, pixels: await loadImageRgb(file, { width: size, height: size }) };
      } catch (error) {
        const reason = error instanceof ImageLoadError ? error.message : `could not be read (${(error as Error).message})`;
        return { path: file, reason };
      }
    }),
  );
}

/**
 * Yields the images in batches, decoding the next batch while the caller runs the model on
 * the current one, so decoding and the forward pass overlap.
 */
export async function* prefetchBatches(paths: readonly string[], batchSize: number, size: number): AsyncGenerator<BatchItem[]> {
  let next: Promise<BatchItem[]> | null = paths.length > 0 ? loadBatch(paths.slice(0, batchSize), size) : null;
  for (let start = 0; next; start += batchSize) {
    const current = await next;
    const after = start + batchSize;
    next = after < paths.length ? loadBatch(paths.slice(after, after + batchSize), size) : null;
    yield current;
  }
}

/**
 * Runs the model on the decoded images of a batch and returns its outputs row by row
 * (row-major [images, dims]). Every intermediate tensor is freed before returning.
 */
export async function predictPixels(tf: Tf, prepared: PreparedModel, pixels: readonly Uint8Array[]): Promise<Float32Array> {
  const side = prepared.inputSize;
  const perImage = side * side * 3;
  const batch = new Float32Array(pixels.length * perImage);
  pixels.forEach((p, i) => batch.set(p, i * perImage));
  const output = tf.tidy(() => {
    const x = tf.tensor4d(batch, [pixels.length, side, side, 3], 'float32');
    return prepared.model.predict(scaleInput(tf, x, prepared.scaling)) as Tensor;
  });
  try {
    return (await output.data()) as Float32Array;
  } finally {
    output.dispose();
  }
}
