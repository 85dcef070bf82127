import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { DatasetSnapshot, RunImage } from '../../../api/types/runs';
import type { SplitName } from '../../../api/types/library';
import { createRng } from '../rng';

/** Colours of the generated classes: each class is a hue with noise and a random darker patch. */
const HUES: [number, number, number][] = [
  [200, 60, 50],
  [40, 90, 200],
  [60, 170, 70],
  [220, 200, 40],
];

/**
 * Writes a small separable image dataset (one colour family per class, noisy, with a random
 * patch) as PNGs under `dir`, split 60/20/20 per class, and returns it as a run snapshot.
 */
export async function writeSeparableDataset(dir: string, options: { classes?: number; perClass?: number; size?: number; seed?: number } = {}): Promise<DatasetSnapshot> {
  const classes = options.classes ?? 2;
  const perClass = options.perClass ?? 15;
  const size = options.size ?? 48;
  const rng = createRng(options.seed ?? 7);
  fs.mkdirSync(dir, { recursive: true });
  const images: RunImage[] = [];
  let id = 1;
  for (let c = 0; c < classes; c++) {
    const [r, g, b] = HUES[c]!;
    for (let i = 0; i < perClass; i++) {
      const pixels = Buffer.alloc(size * size * 3);
      const px = rng.int(size / 2);
      const py = rng.int(size / 2);
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const patch = x >= px && x < px + size / 3 && y >= py && y < py + size / 3 ? 0.5 : 1;
          const o = (y * size + x) * 3;
          pixels[o] = Math.max(0, Math.min(255, r * patch + rng.normal(0, 25)));
          pixels[o + 1] = Math.max(0, Math.min(255, g * patch + rng.normal(0, 25)));
          pixels[o + 2] = Math.max(0, Math.min(255, b * patch + rng.normal(0, 25)));
        }
      }
      const file = path.join(dir, `class${c}_${i}.png`);
      const png = await sharp(pixels, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer();
      fs.writeFileSync(file, png);
      const split: SplitName = i < perClass * 0.6 ? 'train' : i < perClass * 0.8 ? 'validation' : 'test';
      images.push({ imageId: id++, contentHash: createHash('sha256').update(png).digest('hex'), path: file, label: c, split });
    }
  }
  return { classes: Array.from({ length: classes }, (_, c) => `class${c}`), images };
}
