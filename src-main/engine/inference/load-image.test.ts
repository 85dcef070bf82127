import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ImageLoadError, loadImageRgb } from './load-image';
import { writeNotAnImage } from './test-support/test-images';
import { writeBadImages } from '../../base/test-support/bad-images';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-load-image-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The RGB triple at (x, y) of a height × width × 3 buffer of the given width. */
function pixel(data: Uint8Array, width: number, x: number, y: number): number[] {
  const at = (y * width + x) * 3;
  return [data[at]!, data[at + 1]!, data[at + 2]!];
}

/** Raw pixels of a width × height image whose left half is `left` and right half `right`. */
function halves(width: number, height: number, channels: number, left: number[], right: number[]): Buffer {
  const raw = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw.set(x < width / 2 ? left : right, (y * width + x) * channels);
  }
  return raw;
}

function near(actual: number[], expected: number[], tolerance = 12): void {
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance));
}

describe('loadImageRgb', () => {
  it('turns a photo upright by its EXIF orientation before resizing', async () => {
    // Stored 40×20, left half red, right half blue; orientation 6 shows it turned 90° clockwise,
    // so upright it is 20×40 with red on top.
    const file = path.join(dir, 'rotated.jpg');
    await sharp(halves(40, 20, 3, [255, 0, 0], [0, 0, 255]), { raw: { width: 40, height: 20, channels: 3 } })
      .jpeg({ quality: 100 })
      .withMetadata({ orientation: 6 })
      .toFile(file);
    expect((await sharp(file).metadata()).orientation).toBe(6);
    const data = await loadImageRgb(file, { width: 10, height: 20 });
    expect(data.length).toBe(10 * 20 * 3);
    near(pixel(data, 10, 5, 2), [255, 0, 0]);
    near(pixel(data, 10, 5, 17), [0, 0, 255]);
  });

  it('drops alpha without darkening transparent pixels (as Keras/PIL convert("RGB"))', async () => {
    const file = path.join(dir, 'alpha.png');
    // Opaque red on the left, fully transparent green on the right.
    await sharp(halves(16, 16, 4, [255, 0, 0, 255], [0, 255, 0, 0]), { raw: { width: 16, height: 16, channels: 4 } }).png().toFile(file);
    const data = await loadImageRgb(file, { width: 8, height: 8 });
    expect(data.length).toBe(8 * 8 * 3);
    near(pixel(data, 8, 1, 4), [255, 0, 0], 0);
    near(pixel(data, 8, 6, 4), [0, 255, 0], 0);
  });

  it('turns greyscale into three equal channels', async () => {
    const file = path.join(dir, 'grey.png');
    await sharp(Buffer.from([0, 60, 120, 250]), { raw: { width: 2, height: 2, channels: 1 } }).toColourspace('b-w').png().toFile(file);
    expect((await sharp(file).metadata()).channels).toBe(1);
    const data = await loadImageRgb(file, { width: 2, height: 2 }, 'nearest');
    expect([...data]).toEqual([0, 0, 0, 60, 60, 60, 120, 120, 120, 250, 250, 250]);
  });

  it('reads 16-bit images as 8-bit values', async () => {
    const file = path.join(dir, 'deep.png');
    await sharp(Buffer.alloc(4 * 4 * 3, 200), { raw: { width: 4, height: 4, channels: 3 } }).toColourspace('rgb16').png().toFile(file);
    expect((await sharp(file).metadata()).depth).toBe('ushort');
    expect([...(await loadImageRgb(file, { width: 2, height: 2 }))]).toEqual(new Array(12).fill(200));
  });

  it('stretches to the target size without keeping the aspect ratio (as load_img)', async () => {
    const file = path.join(dir, 'wide.png');
    await sharp(halves(64, 8, 3, [255, 255, 255], [0, 0, 0]), { raw: { width: 64, height: 8, channels: 3 } }).png().toFile(file);
    const data = await loadImageRgb(file, { width: 4, height: 4 }, 'nearest');
    expect(pixel(data, 4, 0, 0)).toEqual([255, 255, 255]);
    expect(pixel(data, 4, 3, 3)).toEqual([0, 0, 0]);
  });

  it.each([
    ['a file that is not an image', () => writeNotAnImage(path.join(dir, 'text.jpg')), /not an image/],
    ['an empty file', () => (fs.writeFileSync(path.join(dir, 'empty.png'), ''), path.join(dir, 'empty.png')), /^empty file \(0 bytes\)$/],
    ['a missing file', () => path.join(dir, 'nowhere.jpg'), /file not found/],
  ])('fails on %s with an ImageLoadError and a reason', async (_what, make, reason) => {
    const error = await loadImageRgb(make(), { width: 8, height: 8 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageLoadError);
    expect((error as Error).message).toMatch(reason);
  });

  it('fails on a truncated JPEG', async () => {
    const whole = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg().toBuffer();
    const file = path.join(dir, 'truncated.jpg');
    fs.writeFileSync(file, whole.subarray(0, whole.length / 2));
    const error = await loadImageRgb(file, { width: 8, height: 8 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageLoadError);
    expect((error as Error).message).toMatch(/corrupt or truncated/);
  });

  it('words every failure as the import does, the same on every run and at any concurrency', async () => {
    // The one list the import's tests check too (core/library/image-probe.test.ts).
    const bad = await writeBadImages(path.join(dir, 'bad'));
    for (let round = 0; round < 3; round++) {
      const reasons = await Promise.all(
        bad.map(({ file }) => loadImageRgb(file, { width: 32, height: 32 }).then(() => 'loaded', (e: unknown) => (e as Error).message)),
      );
      expect(reasons).toEqual(bad.map((b) => b.reason));
    }
  });
});
