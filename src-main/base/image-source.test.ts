import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageSourceRefusal, MAX_IMAGE_FILE_BYTES, openImageSource } from './image-source';
import { makeFifo, releaseFifos, writeHostilePaths, type HostilePath } from './test-support/hostile-paths';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-image-source-'));
let hostile: HostilePath[];
const jpegHead = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);

beforeAll(() => {
  hostile = writeHostilePaths(path.join(dir, 'hostile'), MAX_IMAGE_FILE_BYTES);
});
afterAll(() => {
  releaseFifos(hostile);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Reads a path with a time bound, so a read that would wait forever fails the test instead. */
async function readWithin(file: string, ms: number): Promise<Buffer> {
  return Promise.race([
    fs.promises.readFile(file),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`reading ${file} took over ${ms} ms`)), ms)),
  ]);
}

describe('openImageSource', () => {
  it('refuses a FIFO, a device, a folder and a file larger than any image at once, with a reason', { timeout: 5000 }, async () => {
    expect(hostile.map((h) => h.what)).toEqual(
      process.platform === 'win32' ? ['a folder', 'a huge file'] : ['a FIFO', '/dev/zero', 'a folder', 'a huge file'],
    );
    for (const { file, reason } of hostile) {
      const started = performance.now();
      const error = await openImageSource(file).catch((e: unknown) => e);
      expect(error, file).toBeInstanceOf(ImageSourceRefusal);
      expect((error as Error).message, file).toMatch(reason);
      expect(performance.now() - started, file).toBeLessThan(1000);
    }
    await expect(openImageSource(path.join(dir, 'nowhere.jpg'))).rejects.toThrow(/^file not found$/);
  });

  it('on Linux hands the decoder a path pinned to the checked file, so swapping in a FIFO afterwards changes nothing', async (context) => {
    if (process.platform !== 'linux') return context.skip();
    const file = path.join(dir, 'photo.jpg');
    fs.writeFileSync(file, jpegHead);
    const source = await openImageSource(file);
    try {
      expect(source.input).toMatch(/^\/proc\/self\/fd\/\d+$/);
      fs.rmSync(file);
      expect(makeFifo(file)).toBe(true);
      expect(await readWithin(source.input as string, 2000)).toEqual(jpegHead);
      expect(source.failure('header')).toEqual({ stage: 'header', size: jpegHead.length, head: jpegHead.subarray(0, 16) });
    } finally {
      await source.close();
      fs.rmSync(file);
    }
  });

  describe('where no pinned path exists (macOS, Windows)', () => {
    const unpinned = { pin: () => null };

    it('reads a small file into memory, so nothing is opened by path again', async () => {
      const file = path.join(dir, 'small.jpg');
      fs.writeFileSync(file, jpegHead);
      const source = await openImageSource(file, unpinned);
      expect(source.input).toEqual(jpegHead);
      expect(source.failure('decode')).toEqual({ stage: 'decode', size: jpegHead.length, head: jpegHead.subarray(0, 16) });
      await source.close();
    });

    it('hands a file over the buffer limit on by its path, checked just before, with its first bytes for reasons', async () => {
      const file = path.join(dir, 'large.jpg');
      fs.writeFileSync(file, Buffer.concat([jpegHead, Buffer.alloc(100)]));
      const source = await openImageSource(file, { ...unpinned, bufferLimit: 64 });
      expect(source.input).toBe(file);
      expect(source.failure('header')).toEqual({ stage: 'header', size: 120, head: jpegHead.subarray(0, 16) });
      await source.close();
    });

    it('still refuses what is not a regular file and what is too large', { timeout: 5000 }, async () => {
      for (const { file, reason } of hostile) {
        await expect(openImageSource(file, { ...unpinned, bufferLimit: 0 }), file).rejects.toThrow(reason);
      }
      const file = path.join(dir, 'over.jpg');
      fs.writeFileSync(file, Buffer.alloc(2 * 1024 * 1024));
      await expect(openImageSource(file, { ...unpinned, maxBytes: 1024 * 1024 })).rejects.toThrow('file too large: 2 MB is over the 1 MB limit for one image');
    });
  });
});
