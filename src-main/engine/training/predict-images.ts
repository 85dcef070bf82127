import type { RunImage } from '../../api/types/runs';
import type { FrozenForward } from '../inference/frozen-forward';
import { modelInput, type InputRecipe, type UnreadableImage } from './prefix-activations';

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
  const perImage = forward.inputShape.reduce((a, b) => a * b, 1);
  const width = forward.outputShapes[0]!.reduce((a, b) => a * b, 1);
  const classes = width === 1 ? 2 : width;
  const kept: RunImage[] = [];
  const rows: Float32Array[] = [];
  const unreadable: UnreadableImage[] = [];
  const load = (batch: readonly RunImage[]) =>
    Promise.all(
      batch.map(async (image) => {
        try {
          return { image, input: await modelInput({ path: image.path, contentHash: image.contentHash, variant: 0 }, { ...recipe, augment: null, seed: 0 }) };
        } catch (error) {
          return { image, reason: (error as Error).message };
        }
      }),
    );
  let next = images.length > 0 ? load(images.slice(0, batchSize)) : null;
  for (let start = 0; next; start += batchSize) {
    const loaded = await next;
    next = start + batchSize < images.length ? load(images.slice(start + batchSize, start + 2 * batchSize)) : null;
    await hooks.checkpoint();
    const ok = loaded.filter((l): l is { image: RunImage; input: Float32Array } => 'input' in l);
    for (const l of loaded) if ('reason' in l) unreadable.push({ path: l.image.path, reason: l.reason ?? 'could not be read' });
    if (ok.length > 0) {
      const batch = new Float32Array(ok.length * perImage);
      ok.forEach((l, i) => batch.set(l.input, i * perImage));
      const [output] = await forward.run(batch, ok.length);
      ok.forEach((l, i) => {
        kept.push(l.image);
        rows.push(width === 1 ? Float32Array.of(1 - output![i]!, output![i]!) : output!.slice(i * width, (i + 1) * width));
      });
    }
    hooks.onProgress?.(Math.min(start + batchSize, images.length), images.length);
  }
  const probabilities = new Float32Array(kept.length * classes);
  rows.forEach((row, i) => probabilities.set(row, i * classes));
  return { images: kept, probabilities, classes, unreadable };
}
