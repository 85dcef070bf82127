import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { fsErrorReason } from './fs-errors';
import { HEAD_BYTES, type ImageFailure } from './image-failure';
import { FileRefusal, formatMegabytes, openRegularFile } from './regular-file';

/** Where no pinned path exists, image files up to this size are read into memory once; larger ones are decoded from their path. */
export const IMAGE_BUFFER_LIMIT = 32 * 1024 * 1024;

/**
 * Largest image file opened: the biggest file an image within sharp's default pixel limit
 * (0x3FFF × 0x3FFF) can be when stored uncompressed as 16-bit RGBA, plus room for metadata.
 * Anything larger cannot be a photo Graft decodes, so it is refused without being read.
 */
export const MAX_IMAGE_FILE_BYTES = 0x3fff * 0x3fff * 8 + 64 * 1024 * 1024;

/** Why a file named as an image was refused before decoding; the message is the user-facing reason. */
export class ImageSourceRefusal extends Error {
  override readonly name = 'ImageSourceRefusal';
}

/** An image file checked and opened for decoding. Close it once the decoder is done. */
export interface ImageSource {
  /**
   * What to hand the decoder: a path that names exactly the regular file that was checked
   * (on Linux its /proc/self/fd entry, so a file swapped for a FIFO after the check is never
   * opened); elsewhere the bytes for files up to the buffer limit, else the file's own path,
   * checked just before.
   */
  input: Buffer | string;
  /** The file's size when it was opened. */
  size: number;
  /** Facts for base/image-failure's reason when the decode fails, taken from the file that was opened. */
  failure(stage: ImageFailure['stage']): ImageFailure;
  close(): Promise<void>;
}

/** Limits for opening an image; the defaults are the ones every part of Graft uses. */
export interface ImageSourceOptions {
  bufferLimit?: number;
  maxBytes?: number;
  signal?: AbortSignal;
  /** The pinned path of an open descriptor, or null where the platform has none (a seam for tests). */
  pin?: (fd: number) => string | null;
}

let procFdAvailable: boolean | undefined;

/** A path naming an open descriptor's own file, where the platform has one (Linux's /proc/self/fd). */
function pinnedPath(fd: number): string | null {
  procFdAvailable ??= process.platform === 'linux' && fs.existsSync('/proc/self/fd');
  return procFdAvailable ? `/proc/self/fd/${fd}` : null;
}

/** The per-file reason for a path that cannot be opened as an image file. */
export function imageRefusalReason(refusal: FileRefusal): string {
  switch (refusal.reason) {
    case 'missing':
      return 'file not found';
    case 'not-regular':
      return `not a regular file: it is ${refusal.kind ?? 'not a file'}`;
    case 'too-large':
      return 'file too large for an image';
    case 'unreadable':
      return fsErrorReason(refusal.cause ?? refusal, 'file');
  }
}

async function readAt(handle: FileHandle, length: number, signal: AbortSignal | undefined): Promise<Buffer> {
  const bytes = Buffer.allocUnsafe(length);
  let total = 0;
  while (total < length) {
    signal?.throwIfAborted();
    const { bytesRead } = await handle.read(bytes, total, length - total, total);
    if (bytesRead === 0) break;
    total += bytesRead;
  }
  return bytes.subarray(0, total);
}

/**
 * Opens a file someone named as an image, for decoding. Only a regular file no larger than
 * `maxBytes` is opened (a FIFO, a device such as /dev/zero or a folder is refused at once,
 * without waiting on it or reading it). The decoder then reads the file itself through a path
 * pinned to the checked file where the platform has one; elsewhere small files are read into
 * memory first. Throws ImageSourceRefusal with a reason.
 */
export async function openImageSource(file: string, options: ImageSourceOptions = {}): Promise<ImageSource> {
  const { bufferLimit = IMAGE_BUFFER_LIMIT, maxBytes = MAX_IMAGE_FILE_BYTES, signal, pin = pinnedPath } = options;
  let opened: { handle: FileHandle; size: number };
  try {
    opened = await openRegularFile(file, { maxBytes: Number.MAX_SAFE_INTEGER, signal });
  } catch (error) {
    if (error instanceof FileRefusal) throw new ImageSourceRefusal(imageRefusalReason(error));
    throw error;
  }
  const { handle, size } = opened;
  let keepOpen = false;
  try {
    if (size > maxBytes) {
      throw new ImageSourceRefusal(`file too large: ${formatMegabytes(size)} is over the ${formatMegabytes(maxBytes)} limit for one image`);
    }
    const pinned = pin(handle.fd);
    if (pinned === null && size <= bufferLimit) {
      const bytes = await readAt(handle, size, signal);
      return {
        input: bytes,
        size: bytes.length,
        failure: (stage) => ({ stage, size: bytes.length, head: bytes.subarray(0, HEAD_BYTES) }),
        close: async () => undefined,
      };
    }
    const head = await readAt(handle, HEAD_BYTES, signal);
    keepOpen = true;
    return {
      input: pinned ?? file,
      size,
      failure: (stage) => ({ stage, size, head }),
      close: () => handle.close(),
    };
  } catch (error) {
    if (error instanceof ImageSourceRefusal || signal?.aborted) throw error;
    throw new ImageSourceRefusal(fsErrorReason(error, 'file'));
  } finally {
    if (!keepOpen) await handle.close();
  }
}
