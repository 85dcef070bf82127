import type { AugmentSpec } from '../../api/types/training';
import { Semaphore } from '../../base/semaphore';
import type { FrozenForward } from '../inference/frozen-forward';
import type { InputScaling } from '../inference/inference-model';
import { ImageLoadError, loadImageRgb } from '../inference/load-image';
import { scalePixels } from '../inference/scale-pixels';
import type { ActivationStore } from './activation-store';
import { augmentVariant } from './augment';

/** One input of the frozen prefix: an image and which augmentation variant of it (0 = the image itself). */
export interface PrefixItem {
  path: string;
  contentHash: string;
  variant: number;
}

/** How inputs are made: input side, pixel scaling, augmentation and its seed. */
export interface InputRecipe {
  size: number;
  scaling: InputScaling;
  augment: AugmentSpec | null;
  seed: number;
}

/** The model input of one item: decoded, augmented when its variant asks, scaled; HWC float32. */
export async function modelInput(item: PrefixItem, recipe: InputRecipe, out?: Float32Array): Promise<Float32Array> {
  const pixels = await loadImageRgb(item.path, { width: recipe.size, height: recipe.size });
  if (item.variant === 0 || !recipe.augment) return scalePixels(pixels, recipe.scaling, out);
  const augmented = augmentVariant(Float32Array.from(pixels), recipe.size, recipe.size, recipe.augment, recipe.seed, item.contentHash, item.variant);
  return scalePixels(augmented, recipe.scaling, out);
}

/** Progress of filling the cache. */
export interface CacheProgress {
  done: number;
  total: number;
  computed: number;
  perSecond: number;
}

/** What computing the prefix outputs reports and when it must stop. */
export interface PrefixHooks {
  onProgress?(progress: CacheProgress): void;
  /** Called between batches: throws on cancel, holds while paused. */
  checkpoint(): Promise<void>;
}

/** An image that could not be read, with the reason. */
export interface UnreadableImage {
  path: string;
  reason: string;
}

/** Images decoded at once while the prefix runs: enough to keep both cores busy. */
const DECODE_CONCURRENCY = 4;

/**
 * Runs the frozen prefix once for every item not yet in the store and stores its outputs
 * (the cut's outputs back to back), batch by batch, decoding the next batch while the
 * current one runs. Items already stored are skipped. Returns the images that could not be
 * read; they are left out of training with their reason.
 */
export async function fillActivationStore(
  forward: FrozenForward,
  store: ActivationStore,
  items: readonly PrefixItem[],
  recipe: InputRecipe,
  batchSize: number,
  hooks: PrefixHooks,
): Promise<UnreadableImage[]> {
  const missing = items.filter((item) => !store.has(item.contentHash, item.variant));
  const total = items.length;
  let done = total - missing.length;
  const started = performance.now();
  const unreadable: UnreadableImage[] = [];
  const perImage = forward.inputShape.reduce((a, b) => a * b, 1);
  const decode = new Semaphore(DECODE_CONCURRENCY);
  const load = (batch: readonly PrefixItem[]) =>
    Promise.all(
      batch.map((item) =>
        decode.run(async () => {
          try {
            return { item, input: await modelInput(item, recipe) };
          } catch (error) {
            const reason = error instanceof ImageLoadError ? error.message : `could not be read (${(error as Error).message})`;
            return { item, reason };
          }
        }),
      ),
    );
  hooks.onProgress?.({ done, total, computed: 0, perSecond: 0 });
  const sizes = forward.outputShapes.map((shape) => shape.reduce((a, b) => a * b, 1));
  let next = missing.length > 0 ? load(missing.slice(0, batchSize)) : null;
  for (let start = 0; next; start += batchSize) {
    const loaded = await next;
    const after = start + batchSize;
    next = after < missing.length ? load(missing.slice(after, after + batchSize)) : null;
    await hooks.checkpoint();
    const ok = loaded.filter((l): l is { item: PrefixItem; input: Float32Array } => 'input' in l);
    for (const l of loaded) if ('reason' in l) unreadable.push({ path: l.item.path, reason: l.reason ?? 'could not be read' });
    if (ok.length > 0) {
      const batch = new Float32Array(ok.length * perImage);
      ok.forEach((l, i) => batch.set(l.input, i * perImage));
      const outputs = await forward.run(batch, ok.length);
      await store.writeMany(ok.map((l, i) => ({ contentHash: l.item.contentHash, variant: l.item.variant, values: concatRow(outputs, sizes, i) })));
    }
    done += loaded.length;
    const seconds = Math.max((performance.now() - started) / 1000, 1e-3);
    hooks.onProgress?.({ done, total, computed: done - (total - missing.length), perSecond: (done - (total - missing.length)) / seconds });
  }
  return unreadable;
}

/** Row `i` of every output, back to back: one cache entry. */
export function concatRow(outputs: readonly Float32Array[], sizes: readonly number[], i: number): Float32Array {
  const row = new Float32Array(sizes.reduce((a, b) => a + b, 0));
  let offset = 0;
  outputs.forEach((output, k) => {
    row.set(output.subarray(i * sizes[k]!, (i + 1) * sizes[k]!), offset);
    offset += sizes[k]!;
  });
  return row;
}
