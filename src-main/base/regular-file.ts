import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { errnoCode } from './fs-errors';

/** Why a file someone named cannot be read: absent, not a regular file, larger than allowed, or unreadable. */
export type FileRefusalReason = 'missing' | 'not-regular' | 'too-large' | 'unreadable';

/** A file refused before (or while) reading it, with a message that names the file and the reason. */
export class FileRefusal extends Error {
  override readonly name = 'FileRefusal';
  constructor(
    readonly reason: FileRefusalReason,
    message: string,
    /** For 'not-regular': what the path is instead ("a named pipe (FIFO)", "a device", "a folder" …). */
    readonly kind?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Limits for reading a file someone named. */
export interface RegularFileOptions {
  /** Refuse a file larger than this many bytes (checked before reading and again while reading). */
  maxBytes: number;
  /** What the file is, for messages ("The labels CSV"). */
  what?: string;
  signal?: AbortSignal;
}

// O_NONBLOCK makes opening a FIFO without a writer return at once instead of parking a
// thread-pool thread forever; it changes nothing for regular files. Windows has neither.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/** What a path is, for messages: "a file", "a folder", "a named pipe (FIFO)", "a device", … */
export function fileKind(stats: Stats): string {
  if (stats.isFile()) return 'a file';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'neither a file nor a folder';
}

/** Megabytes for messages, e.g. "256 MB". */
export function formatMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${mb >= 10 ? Math.round(mb) : Math.round(mb * 10) / 10} MB`;
}

function tooLarge(file: string, what: string, maxBytes: number): FileRefusal {
  return new FileRefusal('too-large', `${what} ${file} is larger than ${formatMegabytes(maxBytes)}, more than such a file can be.`);
}

/**
 * Opens a file for reading only if it is a regular file no larger than `maxBytes`. A named
 * pipe, a device (/dev/zero) or a folder is refused without a byte read and without waiting,
 * so a path a client names can never hang or flood the process. Symlinks are followed;
 * the checks apply to what they point at. The caller closes the handle.
 */
export async function openRegularFile(file: string, options: RegularFileOptions): Promise<{ handle: FileHandle; size: number }> {
  const what = options.what ?? 'The file';
  let handle: FileHandle;
  try {
    handle = await open(file, OPEN_FLAGS);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new FileRefusal('missing', `${what} ${file} does not exist.`);
    if (code === 'EISDIR') throw new FileRefusal('not-regular', `${what} ${file} is a folder, not a file.`, 'a folder');
    throw new FileRefusal('unreadable', `${what} ${file} cannot be read: ${(error as Error).message}`, undefined, { cause: error });
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new FileRefusal('not-regular', `${what} ${file} is ${fileKind(stats)}, not a regular file.`, fileKind(stats));
    if (stats.size > options.maxBytes) throw tooLarge(file, what, options.maxBytes);
    return { handle, size: stats.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * Reads a regular file in chunks, handing each to `onChunk` (the event loop runs between
 * them). Stops with a refusal if the file grows past `maxBytes` while it is read.
 */
export async function readRegularFileChunks(
  file: string,
  options: RegularFileOptions & { chunkBytes?: number },
  onChunk: (chunk: Buffer) => void,
): Promise<number> {
  const { handle } = await openRegularFile(file, options);
  const chunk = Buffer.alloc(Math.min(options.chunkBytes ?? 1 << 20, options.maxBytes + 1));
  let total = 0;
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) return total;
      total += bytesRead;
      if (total > options.maxBytes) throw tooLarge(file, options.what ?? 'The file', options.maxBytes);
      onChunk(Buffer.from(chunk.subarray(0, bytesRead)));
    }
  } catch (error) {
    if (error instanceof FileRefusal || options.signal?.aborted) throw error;
    throw new FileRefusal('unreadable', `${options.what ?? 'The file'} ${file} cannot be read: ${(error as Error).message}`);
  } finally {
    await handle.close();
  }
}

/**
 * Reads a whole regular file of at most `maxBytes` (see `openRegularFile` for what is refused).
 * The size known at open is read into one buffer; a file still growing is read on, in chunks,
 * until the limit.
 */
export async function readRegularFile(file: string, options: RegularFileOptions): Promise<Buffer> {
  const what = options.what ?? 'The file';
  const { handle, size } = await openRegularFile(file, options);
  try {
    const parts = [Buffer.allocUnsafe(size)];
    let total = 0;
    while (total < size) {
      options.signal?.throwIfAborted();
      const { bytesRead } = await handle.read(parts[0]!, total, size - total, null);
      if (bytesRead === 0) return parts[0]!.subarray(0, total);
      total += bytesRead;
    }
    for (;;) {
      const more = Buffer.allocUnsafe(64 * 1024);
      const { bytesRead } = await handle.read(more, 0, more.length, null);
      if (bytesRead === 0) return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      total += bytesRead;
      if (total > options.maxBytes) throw tooLarge(file, what, options.maxBytes);
      parts.push(more.subarray(0, bytesRead));
    }
  } catch (error) {
    if (error instanceof FileRefusal || options.signal?.aborted) throw error;
    throw new FileRefusal('unreadable', `${what} ${file} cannot be read: ${(error as Error).message}`);
  } finally {
    await handle.close();
  }
}
