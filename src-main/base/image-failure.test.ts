import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeFifo, releaseFifos } from './test-support/hostile-paths';
import { imageFailureOf, imageFailureReason, sniffImageFormat, tooLargeReason } from './image-failure';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-image-failure-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const bytes = (...parts: (number[] | string)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('sniffImageFormat', () => {
  it.each([
    ['JPEG', bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF')],
    ['PNG', bytes([0x89], 'PNG\r\n', [0x1a, 0x0a])],
    ['WebP', bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 ')],
    ['GIF', bytes('GIF89a')],
    ['TIFF', bytes('II*', [0])],
    ['TIFF', bytes('MM', [0], '*')],
    ['AVIF', bytes([0, 0, 0, 0x1c], 'ftypavif')],
    ['HEIF', bytes([0, 0, 0, 0x18], 'ftypheic')],
  ])('names %s from its first bytes', (format, head) => {
    expect(sniffImageFormat(head)).toBe(format);
  });

  it('names nothing for other contents', () => {
    expect(sniffImageFormat(bytes('%PDF-1.4'))).toBeNull();
    expect(sniffImageFormat(bytes([0xff, 0xd8]))).toBeNull();
    expect(sniffImageFormat(null)).toBeNull();
  });
});

describe('imageFailureReason', () => {
  const jpegHead = bytes([0xff, 0xd8, 0xff, 0xdb]);
  it('words each kind of failure once, from facts rather than the decoder message', () => {
    expect(imageFailureReason({ stage: 'header', size: null, head: null })).toBe('file not found');
    expect(imageFailureReason({ stage: 'header', size: null, head: null, readError: 'cannot read file (permission denied)' })).toBe(
      'cannot read file (permission denied)',
    );
    // An empty file fails the header in libvips as "unsupported format"; it is empty first.
    expect(imageFailureReason({ stage: 'header', size: 0, head: bytes() })).toBe('empty file (0 bytes)');
    expect(imageFailureReason({ stage: 'header', size: 20, head: bytes('hello') })).toBe('not an image (its contents are not a supported image format)');
    expect(imageFailureReason({ stage: 'header', size: 100, head: jpegHead })).toBe('corrupt JPEG image (its header cannot be read)');
    expect(imageFailureReason({ stage: 'decode', size: 100, head: jpegHead })).toBe('corrupt or truncated JPEG image (its data is damaged or ends early)');
  });

  it('says how large a decompression bomb claims to be', () => {
    expect(tooLargeReason(100_000, 100_000, 0x3fff * 0x3fff)).toBe(
      'image too large: 100000×100000 pixels is over the limit of 268 megapixels (possible decompression bomb)',
    );
  });
});

describe('imageFailureOf', () => {
  const fifo = path.join(dir, 'pipe.jpg');
  // Lets a reader that waits on the FIFO go, should one be waiting.
  afterEach(() => releaseFifos([{ what: 'a FIFO', file: fifo, reason: '' }]));

  it('takes size and first bytes from the bytes that failed to decode', () => {
    const data = bytes([0xff, 0xd8, 0xff, 0xdb], 'x'.repeat(40));
    const failure = imageFailureOf(data, 'decode');
    expect(failure).toEqual({ stage: 'decode', size: 44, head: data.subarray(0, 16) });
    expect(imageFailureReason(failure)).toBe('corrupt or truncated JPEG image (its data is damaged or ends early)');
    expect(imageFailureReason(imageFailureOf(bytes(), 'header'))).toBe('empty file (0 bytes)');
  });

  it('takes no path, so it can never wait on a FIFO (files are opened through base/image-source)', { timeout: 5000 }, async () => {
    if (!makeFifo(fifo)) return;
    // The type refuses a path (typecheck); at run time a string must come back at once, whatever it gives.
    // @ts-expect-error a path is no input any more: it was opened with a plain 'r', which waits for a FIFO's writer forever
    await Promise.resolve().then(() => imageFailureOf(fifo, 'header')).catch(() => undefined);
  });
});
