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

/**
 * Writes `count` JPEGs with texture (gradients and a pattern that differs per image), so
 * features differ between images and every convolution sees structure; returns their paths.
 */
export async function writeTexturedImages(dir: string, count: number, width = 80, height = 60): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const raw = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        for (let c = 0; c < 3; c++) raw[(y * width + x) * 3 + c] = (x * (2 + c + i) + y * (3 + i) + ((x * y + 11 * i) % 19) * 6) % 256;
      }
    }
    const file = path.join(dir, `textured-${String(i).padStart(3, '0')}.jpg`);
    await sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toFile(file);
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
