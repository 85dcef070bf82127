/**
 * Why an image could not be loaded, in one wording for every part of Graft (the import's
 * skip list, the engine's unreadable list, the CLI). The reason is built from facts about the
 * file (its size, its first bytes, which step failed), never from libvips' message: libvips
 * keeps one error buffer for all its threads, so concurrent failures lose or swap their
 * messages ("Unknown error" one run, "premature end of JPEG image" the next).
 */
export interface ImageFailure {
  /** 'header': the format and size could not be read; 'decode': the header was read but not every pixel. */
  stage: 'header' | 'decode';
  /** The file's size in bytes; null when the file is not there any more. */
  size: number | null;
  /** The file's first bytes (16 are enough), to name its format; null when unreadable. */
  head: Uint8Array | null;
  /** Set when the file is there but could not be opened: why, in words. */
  readError?: string;
}

/** Bytes of the file's start that `sniffImageFormat` looks at. */
export const HEAD_BYTES = 16;

/** The image format a file's first bytes announce (as users know it: "JPEG", "PNG" …), or null. */
export function sniffImageFormat(head: Uint8Array | null): string | null {
  if (!head) return null;
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'JPEG';
  if (head[0] === 0x89 && ascii(1, 4) === 'PNG') return 'PNG';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'WebP';
  if (ascii(0, 4) === 'GIF8') return 'GIF';
  if (ascii(0, 4) === 'II*\u0000' || ascii(0, 4) === 'MM\u0000*') return 'TIFF';
  if (ascii(4, 8) === 'ftyp') {
    const brand = ascii(8, 12);
    return brand === 'avif' || brand === 'avis' ? 'AVIF' : 'HEIF';
  }
  return null;
}

/** The reason a user reads for an image that failed to load. */
export function imageFailureReason(failure: ImageFailure): string {
  if (failure.readError !== undefined) return failure.readError;
  if (failure.size === null) return 'file not found';
  if (failure.size === 0) return 'empty file (0 bytes)';
  const format = sniffImageFormat(failure.head);
  if (format === null) return 'not an image (its contents are not a supported image format)';
  if (failure.stage === 'header') return `corrupt ${format} image (its header cannot be read)`;
  return `corrupt or truncated ${format} image (its data is damaged or ends early)`;
}

/** The reason for an image whose header claims more pixels than Graft decodes. */
export function tooLargeReason(width: number, height: number, maxPixels: number): string {
  return (
    `image too large: ${width}×${height} pixels is over the limit of ` +
    `${Math.round(maxPixels / 1e6)} megapixels (possible decompression bomb)`
  );
}

/**
 * The facts `imageFailureReason` needs, from the bytes that failed to decode. Bytes only: a file
 * is opened through base/image-source, whose `failure` gives the same facts from the file it
 * checked (a path opened here could be a FIFO, and a plain open would wait on it forever).
 */
export function imageFailureOf(bytes: Uint8Array, stage: ImageFailure['stage']): ImageFailure {
  return { stage, size: bytes.length, head: bytes.subarray(0, HEAD_BYTES) };
}
