/**
 * Generated photo folders for the benchmarks. A few dozen distinct photo-like JPEGs are
 * encoded once; every file is one of them with a unique comment appended after the JPEG end
 * marker, so each file hashes differently (no duplicates) while decoding exactly like its
 * base. Decode cost per file is therefore that of a real photo of the same size and detail.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

/** Encodes `count` distinct photo-like JPEGs: smooth colour fields with fine grain, q85. */
export async function makeBaseJpegs(count: number, width: number, height: number): Promise<Buffer[]> {
  const bases: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    // Coarse noise blown up with bicubic interpolation looks like out-of-focus scenery;
    // a little fine noise on top gives the entropy coder real work, as sensor grain does.
    const coarse = await sharp({ create: { width: 16, height: 12, channels: 3, noise: { type: 'gaussian', mean: 110 + i, sigma: 60 } } })
      .png()
      .toBuffer();
    const grain = await sharp({ create: { width, height, channels: 3, noise: { type: 'gaussian', mean: 128, sigma: 12 } } })
      .png()
      .toBuffer();
    bases.push(
      await sharp(coarse)
        .resize(width, height, { kernel: 'cubic' })
        .composite([{ input: grain, blend: 'overlay' }])
        .jpeg({ quality: 85 })
        .toBuffer(),
    );
  }
  return bases;
}

/** Writes `count` files into `root`, `perFolder` per subfolder, cycling through the bases. */
export function writePhotoFolder(root: string, bases: readonly Buffer[], count: number, perFolder = 1000): string[] {
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const dir = path.join(root, `folder-${String(Math.floor(i / perFolder)).padStart(4, '0')}`);
    if (i % perFolder === 0) fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `photo-${String(i).padStart(6, '0')}.jpg`);
    fs.writeFileSync(file, Buffer.concat([bases[i % bases.length]!, Buffer.from(`graft-bench-${i}`)]));
    files.push(file);
  }
  return files;
}
