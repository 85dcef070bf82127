import type { RunImage } from '../../api/types/runs';
import type { FrozenForward } from '../inference/frozen-forward';
import { scaledBatches } from '../inference/image-batches';
import type { InputRecipe, UnreadableImage } from './prefix-activations';

/** Class probabilities of each readable image, in order, and the images that could not be read. */
export interface ImagePredictions {
  images: RunImage[];
  /** Row-major [images, classes]. */
  probabilities: Float32Array;
  classes: number;
  unreadable: UnreadableImage[];
}

/**
 * Runs a whole trained model (through ONNX Runtime where it loads) over images, decoding the
 * next batch while the current one runs. A one-unit sigmoid output becomes two columns
 * (negative, positive) so every model gives one probability per class.
 */
export async function predictImages(
  forward: FrozenForward,
  images: readonly RunImage[],
  recipe: Omit<InputRecipe, 'augment' | 'seed'>,
  batchSize: number,
  hooks: { checkpoint(): Promise<void>; onProgress?(done: number, total: number): void },
): Promise<ImagePredictions> {
  const width = forward.outputShapes[0]!.reduce((a, b) => a * b, 1);
  const classes = width === 1 ? 2 : width;
  const kept: RunImage[] = [];
  const rows: Float32Array[] = [];
  const unreadable: UnreadableImage[] = [];
  let done = 0;
  for await (const batch of scaledBatches(images.map((i) => i.path), batchSize, recipe.size, recipe.scaling)) {
    await hooks.checkpoint();
    const [output] = batch.rows > 0 ? await forward.run(batch.data, batch.rows) : [];
    batch.items.forEach((item, i) => {
      if ('reason' in item) return void unreadable.push({ path: item.path, reason: item.reason });
      const { row } = item;
      kept.push(images[done + i]!);
      rows.push(width === 1 ? Float32Array.of(1 - output![row]!, output![row]!) : output!.slice(row * width, (row + 1) * width));
    });
    done += batch.items.length;
    hooks.onProgress?.(done, images.length);
  }
  const probabilities = new Float32Array(kept.length * classes);
  rows.forEach((row, i) => probabilities.set(row, i * classes));
  return { images: kept, probabilities, classes, unreadable };
}
