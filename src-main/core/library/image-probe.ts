import sharp, { type Metadata } from 'sharp';
import { acceptedFormat } from './image-formats';
import type { ImageFormat } from '../../api/types/library';
import { writeFileAtomic } from '../../base/atomic-write';
import { imageFailureOf, imageFailureReason, tooLargeReason, type ImageFailure } from '../../base/image-failure';
import { ImageSourceRefusal, openImageSource, type ImageSource } from '../../base/image-source';
import { renderThumbnail } from './thumbnail-render';

/** A decodable image: its format and its size as displayed (after EXIF orientation). */
export interface ProbeResult {
  format: ImageFormat;
  width: number;
  height: number;
}

/** Limits and extras for probing one image. */
export interface ProbeOptions {
  allowSvg: boolean;
  /** Largest pixel count (width × height) accepted; more is treated as a decompression bomb. */
  maxPixels: number;
  /** When set, the validating decode also writes this thumbnail (size in pixels, target file). */
  thumbnail?: { size: number; file: string };
}

/** Default pixel limit: sharp's own (0x3FFF × 0x3FFF ≈ 268 megapixels). */
export const DEFAULT_MAX_PIXELS = 0x3fff * 0x3fff;

/** Why a file is not an importable image; the message is the user-facing reason. */
export class ProbeRejection extends Error {
  override readonly name = 'ProbeRejection';
}

/**
 * Reads the header, refuses decompression bombs before any pixel is decoded, then decodes
 * the whole image once (at a reduced size where the codec allows it: that decode makes the
 * thumbnail when one is asked for) so truncated or corrupt files are caught at import time
 * rather than in the grid or in training. Reasons come from base/image-failure, worded as the
 * engine words them.
 */
export async function probeImage(input: Buffer | string, options: ProbeOptions): Promise<ProbeResult> {
  if (typeof input !== 'string') return probeInput(input, options, async (stage) => imageFailureOf(input, stage));
  // A file too large to buffer is decoded from its path: checked (and, on Linux, pinned) right
  // before, so a photo swapped for a FIFO or a device after hashing cannot hang the import.
  let source: ImageSource;
  try {
    source = await openImageSource(input);
  } catch (error) {
    if (error instanceof ImageSourceRefusal) throw new ProbeRejection(error.message);
    throw error;
  }
  try {
    return await probeInput(source.input, options, async (stage) => source.failure(stage));
  } finally {
    await source.close();
  }
}

async function probeInput(
  input: Buffer | string,
  options: ProbeOptions,
  failureOf: (stage: ImageFailure['stage']) => Promise<ImageFailure>,
): Promise<ProbeResult> {
  let meta: Metadata;
  try {
    // No pixel limit here: the header is trusted only to be compared with our own limit below.
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw new ProbeRejection(imageFailureReason(await failureOf('header')));
  }
  const format = acceptedFormat(meta.format, meta.compression, options.allowSvg);
  if (!format) {
    const what = meta.format === 'heif' ? `HEIF/${meta.compression ?? 'unknown'}` : meta.format;
    throw new ProbeRejection(
      meta.format === 'svg'
        ? 'SVG import is off (enable the SVG option to include vector images)'
        : `unsupported image format (${what})`,
    );
  }
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (pixels > options.maxPixels) {
    throw new ProbeRejection(tooLargeReason(meta.width ?? 0, meta.height ?? 0, options.maxPixels));
  }
  if (!meta.width || !meta.height) throw new ProbeRejection('image has no pixels (zero width or height)');
  let thumbnail: Buffer | null = null;
  try {
    if (options.thumbnail) thumbnail = await renderThumbnail(input, options.thumbnail.size, options.maxPixels);
    else await decodeSmall(input, options.maxPixels);
  } catch {
    throw new ProbeRejection(imageFailureReason(await failureOf('decode')));
  }
  if (thumbnail && options.thumbnail) {
    // A thumbnail that cannot be written (disk full) is not the photo's fault: it is made
    // again on demand, so the import goes on. For the same reason it is not flushed to disk.
    await writeFileAtomic(options.thumbnail.file, thumbnail, { durable: false }).catch(() => undefined);
  }
  const oriented = meta.autoOrient ?? { width: meta.width, height: meta.height };
  return { format, width: oriented.width, height: oriented.height };
}

/** Full decode at a tiny size: JPEG and WebP shrink on load, so this is the cheapest complete read. */
async function decodeSmall(input: Buffer | string, maxPixels: number): Promise<void> {
  await sharp(input, { failOn: 'truncated', limitInputPixels: maxPixels })
    .resize(32, 32, { fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer();
}
