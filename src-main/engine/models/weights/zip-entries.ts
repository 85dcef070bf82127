import type { FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw } from 'node:zlib';

/** One entry of a zip's central directory: its name and what its header declares. */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  flags: number;
  compressedSize: number;
  /** The inflated size the header declares (checked again while inflating). */
  size: number;
  localOffset: number;
}

/** A zip that cannot be read: truncated, corrupt, or using a feature Keras archives never use. */
export class ZipFormatError extends Error {
  override readonly name = 'ZipFormatError';
}

/** An entry that inflates (or says it inflates) past the limit it was read with. */
export class ZipEntryTooLarge extends Error {
  override readonly name = 'ZipEntryTooLarge';
  constructor(
    readonly entry: string,
    readonly limit: number,
  ) {
    super(`${entry} inflates to more than ${limit} bytes`);
  }
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const U32_MAX = 0xffffffff;
/** A central directory this large is no Keras archive's (they hold a handful of entries). */
const MAX_DIRECTORY_BYTES = 16 * 1024 * 1024;

async function readAt(handle: FileHandle, offset: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, offset);
  if (bytesRead < length) throw new ZipFormatError('the file ends early');
  return buffer;
}

function u64(buffer: Buffer, offset: number): number {
  const value = buffer.readBigUInt64LE(offset);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError('a size or offset is out of range');
  return Number(value);
}

/** Where the central directory is and how many entries it has, from the (Zip64) end record. */
async function findDirectory(handle: FileHandle, fileSize: number): Promise<{ offset: number; size: number; count: number }> {
  // The end record is 22 bytes plus a comment of at most 65,535.
  const tailLength = Math.min(fileSize, 22 + 0xffff);
  const tail = await readAt(handle, fileSize - tailLength, tailLength);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new ZipFormatError('it has no end of central directory record');
  let count = tail.readUInt16LE(at + 10);
  let size = tail.readUInt32LE(at + 12);
  let offset = tail.readUInt32LE(at + 16);
  if (count === 0xffff || size === U32_MAX || offset === U32_MAX) {
    const locatorAt = fileSize - tailLength + at - 20;
    if (locatorAt < 0) throw new ZipFormatError('its Zip64 locator is missing');
    const locator = await readAt(handle, locatorAt, 20);
    if (locator.readUInt32LE(0) !== ZIP64_LOCATOR) throw new ZipFormatError('its Zip64 locator is missing');
    const record = await readAt(handle, u64(locator, 8), 56);
    if (record.readUInt32LE(0) !== ZIP64_EOCD) throw new ZipFormatError('its Zip64 end record is missing');
    count = u64(record, 32);
    size = u64(record, 40);
    offset = u64(record, 48);
  }
  if (size > MAX_DIRECTORY_BYTES || offset + size > fileSize) throw new ZipFormatError('its central directory is out of bounds');
  return { offset, size, count };
}

/**
 * Replaces 0xFFFFFFFF header fields with their Zip64 extra-field values, in the order the
 * format gives. A field all ones with no Zip64 value for it is a format error, not a 4 GB entry.
 */
function applyZip64(extra: Buffer, entry: ZipEntry): void {
  for (let i = 0; i + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(i);
    const length = extra.readUInt16LE(i + 2);
    if (id === 0x0001) {
      // The field may claim more bytes than the extra block holds: read only what is there.
      const fieldEnd = Math.min(i + 4 + length, extra.length);
      let at = i + 4;
      const next = (): number => {
        if (at + 8 > fieldEnd) throw new ZipFormatError(`the Zip64 extra field of ${entry.name} is short`);
        const value = u64(extra, at);
        at += 8;
        return value;
      };
      if (entry.size === U32_MAX) entry.size = next();
      if (entry.compressedSize === U32_MAX) entry.compressedSize = next();
      if (entry.localOffset === U32_MAX) entry.localOffset = next();
      return;
    }
    i += 4 + length;
  }
  if (entry.size === U32_MAX || entry.compressedSize === U32_MAX || entry.localOffset === U32_MAX) {
    throw new ZipFormatError(`the Zip64 extra field of ${entry.name}, which its header refers to, is missing`);
  }
}

/**
 * Lists a zip's entries from its central directory: names and declared sizes only, nothing
 * inflated, so a caller can pick the entries it wants and refuse oversized ones first.
 */
export async function readZipDirectory(handle: FileHandle, fileSize: number): Promise<ZipEntry[]> {
  const { offset, size, count } = await findDirectory(handle, fileSize);
  const directory = await readAt(handle, offset, size);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL) throw new ZipFormatError('its central directory is corrupt');
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const end = at + 46 + nameLength + extraLength + commentLength;
    if (end > directory.length) throw new ZipFormatError('its central directory is corrupt');
    const entry: ZipEntry = {
      flags: directory.readUInt16LE(at + 8),
      method: directory.readUInt16LE(at + 10),
      compressedSize: directory.readUInt32LE(at + 20),
      size: directory.readUInt32LE(at + 24),
      localOffset: directory.readUInt32LE(at + 42),
      name: directory.toString('utf8', at + 46, at + 46 + nameLength),
    };
    applyZip64(directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), entry);
    entries.push(entry);
    at = end;
  }
  return entries;
}

/**
 * Inflates one entry into `sink`, never more than `maxBytes`: refused at once when its header
 * declares more, and stopped as soon as the inflated stream passes the limit or its declared
 * size (a header that lies). Only the entry's own compressed bytes are read from the file.
 */
export async function extractZipEntry(
  handle: FileHandle,
  entry: ZipEntry,
  maxBytes: number,
  sink: (chunk: Buffer) => Promise<void> | void,
): Promise<number> {
  if (entry.size > maxBytes) throw new ZipEntryTooLarge(entry.name, maxBytes);
  if (entry.flags & 0x1) throw new ZipFormatError(`${entry.name} is encrypted`);
  if (entry.method !== 0 && entry.method !== 8) throw new ZipFormatError(`${entry.name} uses compression method ${entry.method}`);
  const local = await readAt(handle, entry.localOffset, 30);
  if (local.readUInt32LE(0) !== LOCAL) throw new ZipFormatError(`the local header of ${entry.name} is missing`);
  const nameLength = local.readUInt16LE(26);
  const localName = (await readAt(handle, entry.localOffset + 30, nameLength)).toString('utf8');
  if (localName !== entry.name) throw new ZipFormatError(`the local header of ${entry.name} names ${localName}`);
  const start = entry.localOffset + 30 + nameLength + local.readUInt16LE(28);
  if (entry.compressedSize === 0) {
    if (entry.size !== 0) throw new ZipFormatError(`${entry.name} is empty although its header says otherwise`);
    return 0;
  }
  const limit = Math.min(maxBytes, entry.size);
  let written = 0;
  const source = handle.createReadStream({ start, end: start + entry.compressedSize - 1, autoClose: false, highWaterMark: 1 << 20 });
  // The reason a stream was stopped; pipeline reports the abort it caused instead.
  let stopped: Error | null = null;
  const consume = async (chunks: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of chunks) {
      written += chunk.length;
      if (written > limit) {
        stopped = written > maxBytes
          ? new ZipEntryTooLarge(entry.name, maxBytes)
          : new ZipFormatError(`${entry.name} inflates to more than the ${entry.size} bytes its header declares`);
        throw stopped;
      }
      await sink(chunk);
    }
  };
  try {
    // zlib hands out 16 kB pieces as they inflate, so a bomb is stopped within one piece of the limit.
    if (entry.method === 8) await pipeline(source, createInflateRaw(), consume);
    else await pipeline(source, consume);
  } catch (error) {
    if (stopped) throw stopped;
    if (error instanceof ZipEntryTooLarge || error instanceof ZipFormatError) throw error;
    throw new ZipFormatError(`${entry.name} cannot be inflated (${(error as Error).message})`);
  }
  if (written !== entry.size) throw new ZipFormatError(`${entry.name} inflates to ${written} bytes, its header declares ${entry.size}`);
  return written;
}
