import { GraftError } from '../../api/errors';
import type { RunImage } from '../../api/types/runs';
import type { FrozenForward } from '../inference/frozen-forward';
import type { ActivationStore } from './activation-store';
import type { FitData, FitExample } from './fit-loop';
import { modelInput, type InputRecipe } from './prefix-activations';

/**
 * Where a stage's inputs come from: the activation cache, the prefix run again for every
 * batch, or the images themselves (nothing is frozen: the whole model trains).
 */
export type ActivationSource =
  | { kind: 'cache'; store: ActivationStore }
  | { kind: 'live'; forward: FrozenForward; recipe: InputRecipe }
  | { kind: 'pixels'; recipe: InputRecipe };

/**
 * The training and validation examples of a stage, read as the suffix's inputs: from the
 * cache (one entry per image and variant, the cut's outputs back to back), or computed live
 * by the prefix (no cache, or fresh augmentation: `freshVariants` gives every epoch new ones).
 */
export function stageData(
  images: readonly RunImage[],
  variants: number,
  sizes: readonly number[],
  source: ActivationSource,
  paths: ReadonlyMap<string, string>,
): FitData {
  const example = (image: RunImage, v: number): FitExample => ({ key: image.contentHash, variants: v, label: image.label });
  const train = images.filter((i) => i.split === 'train').map((i) => example(i, variants));
  const validation = images.filter((i) => i.split === 'validation').map((i) => example(i, 1));
  const rowSize = sizes.reduce((a, b) => a + b, 0);
  return {
    train,
    validation,
    async read(rows) {
      const out = sizes.map((size) => new Float32Array(rows.length * size));
      if (source.kind === 'cache') {
        const entry = new Float32Array(rowSize);
        for (let r = 0; r < rows.length; r++) {
          const { key, variant } = rows[r]!;
          const found = await source.store.read(key, variant, entry);
          if (!found) throw new GraftError('internal', `The activation cache lost an entry (${key}, variant ${variant}) during training; train again.`);
          let offset = 0;
          sizes.forEach((size, k) => {
            out[k]!.set(entry.subarray(offset, offset + size), r * size);
            offset += size;
          });
        }
        return out;
      }
      const perImage = source.kind === 'live' ? source.forward.inputShape.reduce((a, b) => a * b, 1) : sizes[0]!;
      const batch = source.kind === 'live' ? new Float32Array(rows.length * perImage) : out[0]!;
      await Promise.all(
        rows.map(async ({ key, variant }, r) => {
          const path = paths.get(key);
          if (!path) throw new GraftError('internal', `No image for ${key}.`);
          batch.set(await modelInput({ path, contentHash: key, variant }, source.recipe), r * perImage);
        }),
      );
      if (source.kind === 'pixels') return out;
      const outputs = await source.forward.run(batch, rows.length);
      outputs.forEach((output, k) => out[k]!.set(output));
      return out;
    },
  };
}
