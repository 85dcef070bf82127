import { GraftError } from '../../api/errors';

/**
 * Largest file one upload request carries: the browser sends each file as base64 in one
 * WebSocket message, and `graft serve` takes messages of at most 16 MB.
 */
export const MAX_UPLOAD_BYTES = 12 * 1024 * 1024;

/** A byte count for messages ("900 KB", "12 MB", "2.5 GB"). */
export function byteSize(bytes: number): string {
  const [value, unit] = bytes >= 1024 ** 3 ? [bytes / 1024 ** 3, 'GB'] : bytes >= 1024 ** 2 ? [bytes / 1024 ** 2, 'MB'] : [Math.ceil(bytes / 1024), 'KB'];
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
}

/**
 * The bytes of a file sent as base64 by a browser page, refused before decoding when they
 * would exceed `maxBytes` and when empty; `name` is the file as the user knows it.
 */
export function decodeUpload(name: string, base64: string, maxBytes = MAX_UPLOAD_BYTES): Buffer {
  if (base64.length > Math.ceil(maxBytes / 3) * 4) {
    throw new GraftError('bad-request', `${name} is larger than ${byteSize(maxBytes)}; give its path on the server instead.`);
  }
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0) throw new GraftError('bad-request', `${name} is empty.`);
  return bytes;
}
