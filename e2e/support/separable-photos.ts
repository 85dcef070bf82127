import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { writeSeparableDataset } from '../../src-main/engine/training/test-support/separable-images';
import { makeTempDir } from './temp-dirs';

/**
 * A folder of generated photos in one subfolder per class (a colour family each, noisy,
 * with a darker patch), so an import with labels from subfolders gives a labelled project
 * that a small network learns in a few epochs.
 */
export async function generateSeparablePhotos(classNames: readonly string[], perClass: number, size = 64): Promise<string> {
  const root = makeTempDir('graft-e2e-separable-');
  const dataset = await writeSeparableDataset(path.join(root, 'flat'), { classes: classNames.length, perClass, size });
  const photos = path.join(root, 'photos');
  for (const image of dataset.images) {
    const target = path.join(photos, classNames[image.label]!, path.basename(image.path));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(image.path, target);
  }
  return photos;
}

/** Red, green, blue 0–255 of a hue (0–1) at the given saturation and value. */
function hsv(h: number, s: number, v: number): [number, number, number] {
  const f = (n: number) => {
    const k = (n + h * 6) % 6;
    return Math.round(255 * (v - v * s * Math.max(0, Math.min(k, 4 - k, 1))));
  };
  return [f(5), f(3), f(1)];
}

/**
 * Photos of `classNames.length` classes, one hue each around the colour circle (jittered,
 * noisy, with a darker patch), in one subfolder per class: neighbouring hues get confused now
 * and then, which is what a confusion matrix with many classes needs to show.
 */
export async function generateHuePhotos(classNames: readonly string[], perClass: number, size = 48): Promise<string> {
  const root = makeTempDir('graft-e2e-hues-');
  let seed = 12345;
  const random = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  for (const [c, name] of classNames.entries()) {
    fs.mkdirSync(path.join(root, name), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const [r, g, b] = hsv((c / classNames.length + (random() - 0.5) * 0.09 + 1) % 1, 0.75, 0.85);
      const pixels = Buffer.alloc(size * size * 3);
      const px = Math.floor(random() * size * 0.6);
      const py = Math.floor(random() * size * 0.6);
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const shade = x >= px && x < px + size / 3 && y >= py && y < py + size / 3 ? 0.55 : 1;
          const o = (y * size + x) * 3;
          const noise = () => (random() - 0.5) * 70;
          pixels[o] = Math.max(0, Math.min(255, r * shade + noise()));
          pixels[o + 1] = Math.max(0, Math.min(255, g * shade + noise()));
          pixels[o + 2] = Math.max(0, Math.min(255, b * shade + noise()));
        }
      }
      await sharp(pixels, { raw: { width: size, height: size, channels: 3 } })
        .png()
        .toFile(path.join(root, name, `${name}-${i}.png`));
    }
  }
  return root;
}
