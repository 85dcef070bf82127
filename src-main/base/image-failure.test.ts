import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
  it('reads size and first bytes from a file or from bytes in memory alike', async () => {
    const data = bytes([0xff, 0xd8, 0xff, 0xdb], 'x'.repeat(40));
    const file = path.join(dir, 'a.jpg');
    fs.writeFileSync(file, data);
    const fromFile = await imageFailureOf(file, 'decode');
    const fromBytes = await imageFailureOf(data, 'decode');
    expect(fromFile).toEqual({ stage: 'decode', size: 44, head: data.subarray(0, 16) });
    expect(imageFailureReason(fromFile)).toBe(imageFailureReason(fromBytes));
    expect(await imageFailureOf(path.join(dir, 'gone.jpg'), 'header')).toEqual({ stage: 'header', size: null, head: null });
  });

  it('reports a folder where a file was expected as unreadable, not as missing', async () => {
    const failure = await imageFailureOf(dir, 'header');
    expect(imageFailureReason(failure)).not.toBe('file not found');
  });
});
