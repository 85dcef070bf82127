import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

/** JPEG quality for grid thumbnails: small files, no visible blocking at 256 px. */
const THUMBNAIL_QUALITY = 80;

/** Decodes an image, turns it upright (EXIF orientation) and shrinks it to fit `size`×`size` as a JPEG. */
export async function renderThumbnail(input: Buffer | string, size: number, maxPixels: number): Promise<Buffer> {
  return sharp(input, { failOn: 'truncated', limitInputPixels: maxPixels })
    .rotate()
    .resize(size, size, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: THUMBNAIL_QUALITY })
    .toBuffer();
}

/**
 * Writes a file so it appears whole or not at all (temporary name, then rename): a crash
 * never leaves a half-written thumbnail that later reads as a valid one.
 */
export async function writeFileAtomic(file: string, data: Buffer): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.promises.writeFile(temp, data);
    await fs.promises.rename(temp, file);
  } catch (error) {
    await fs.promises.rm(temp, { force: true });
    throw error;
  }
}
