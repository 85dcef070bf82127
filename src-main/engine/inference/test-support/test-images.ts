// Test support: small generated image files for the inference tests.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

/** Writes `count` small images of distinct colours (JPEG, PNG and WebP in turn); returns their paths. */
export async function writeColourImages(dir: string, count: number, size = 40): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const formats = ['jpg', 'png', 'webp'] as const;
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const format = formats[i % formats.length]!;
    const background = { r: (i * 53) % 256, g: (i * 97 + 40) % 256, b: (i * 151 + 90) % 256 };
    const image = sharp({ create: { width: size, height: Math.round(size * 0.75), channels: 3, background } });
    const file = path.join(dir, `image-${String(i).padStart(3, '0')}.${format}`);
    await (format === 'jpg' ? image.jpeg() : format === 'png' ? image.png() : image.webp()).toFile(file);
    files.push(file);
  }
  return files;
}

/** Writes a file named like an image that is not one. */
export function writeNotAnImage(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, 'this is not a picture\n');
  return file;
}
