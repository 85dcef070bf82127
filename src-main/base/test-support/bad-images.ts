/**
 * Files that fail to load as images in every way Graft must word the same (the import's skip
 * list, the engine's unreadable list), each with the exact reason base/image-failure gives.
 * The import tests and the engine tests check their reasons against this one list.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

/** A bad file and the reason every part of Graft gives for it. */
export interface BadImage {
  file: string;
  reason: string;
}

async function noisy(format: 'jpeg' | 'png' | 'webp'): Promise<Buffer> {
  // Noise makes the compressed data long enough that cutting it in half leaves the header whole.
  const image = sharp({ create: { width: 320, height: 240, channels: 3, background: '#336699', noise: { type: 'gaussian', mean: 128, sigma: 40 } } });
  return (format === 'jpeg' ? image.jpeg() : format === 'png' ? image.png() : image.webp()).toBuffer();
}

/** Writes the bad files into `dir` and returns them with their reasons. */
export async function writeBadImages(dir: string): Promise<BadImage[]> {
  fs.mkdirSync(dir, { recursive: true });
  const jpeg = await noisy('jpeg');
  const png = await noisy('png');
  const webp = await noisy('webp');
  const files: [string, Buffer | string, string][] = [
    ['empty.jpg', Buffer.alloc(0), 'empty file (0 bytes)'],
    ['text.jpg', 'this is not a photo\n', 'not an image (its contents are not a supported image format)'],
    ['pdf.png', '%PDF-1.4\n%âãÏÓ\n1 0 obj\n', 'not an image (its contents are not a supported image format)'],
    ['cut-header.jpg', jpeg.subarray(0, 100), 'corrupt JPEG image (its header cannot be read)'],
    ['half.jpg', jpeg.subarray(0, jpeg.length >> 1), 'corrupt or truncated JPEG image (its data is damaged or ends early)'],
    ['garbage-after-header.jpg', Buffer.concat([jpeg.subarray(0, 700), Buffer.alloc(4000, 7)]), 'corrupt or truncated JPEG image (its data is damaged or ends early)'],
    ['half.png', png.subarray(0, png.length >> 1), 'corrupt or truncated PNG image (its data is damaged or ends early)'],
    ['half.webp', webp.subarray(0, webp.length >> 1), 'corrupt WebP image (its header cannot be read)'],
  ];
  return files.map(([name, data, reason]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, data);
    return { file, reason };
  });
}
