import { createHash } from 'node:crypto';
import type { SplitName } from '../../api/types/library';
import type { SplitFractions } from '../../api/types/library';
export type { SplitFractions } from '../../api/types/library';

/**
 * Whole counts per split for `n` images, by largest remainder so they always add up to `n`
 * (ties go to train, then validation, then test).
 */
export function splitTargets(n: number, fractions: SplitFractions): Record<SplitName, number> {
  const names: SplitName[] = ['train', 'validation', 'test'];
  const raw = names.map((name) => n * fractions[name]);
  const counts = raw.map(Math.floor);
  let left = n - counts.reduce((a, b) => a + b, 0);
  const byRemainder = names.map((_, i) => i).sort((a, b) => raw[b]! - counts[b]! - (raw[a]! - counts[a]!) || a - b);
  for (const i of byRemainder) {
    if (left <= 0) break;
    counts[i]!++;
    left--;
  }
  return { train: counts[0]!, validation: counts[1]!, test: counts[2]! };
}

/**
 * A seeded sort key for an image. Keyed by content, not row id, so the same photos fall in the
 * same splits in another project, and adding photos moves only a few of the others.
 */
export function splitSortKey(seed: number, contentHash: string): string {
  return createHash('sha1').update(`${seed}:${contentHash}`).digest('hex');
}

/** One image of a class to place, with the split it is pinned to (if any). */
export interface SplitCandidate {
  id: number;
  contentHash: string;
  pinned: SplitName | null;
}

/**
 * Places one class's images: pinned images keep their split and count toward its share; the
 * rest, in seeded order, fill test, then validation, then train.
 */
export function placeClass(images: readonly SplitCandidate[], fractions: SplitFractions, seed: number): Map<number, SplitName> {
  const targets = splitTargets(images.length, fractions);
  const placed = new Map<number, SplitName>();
  const free: { id: number; key: string }[] = [];
  for (const image of images) {
    if (image.pinned) {
      placed.set(image.id, image.pinned);
      targets[image.pinned]--;
    } else {
      free.push({ id: image.id, key: splitSortKey(seed, image.contentHash) });
    }
  }
  free.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id - b.id));
  let index = 0;
  for (const split of ['test', 'validation'] as const) {
    for (let k = 0; k < targets[split] && index < free.length; k++) placed.set(free[index++]!.id, split);
  }
  while (index < free.length) placed.set(free[index++]!.id, 'train');
  return placed;
}
