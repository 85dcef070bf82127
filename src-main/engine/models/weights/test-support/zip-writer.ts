// Test support: writes zip files entry by entry, including hostile ones (deflated zeros that
// inflate to gigabytes, headers that declare another size than the data inflates to), and
// Zip64 archives as large-file writers make them (sizes, offsets and counts in Zip64 fields).
import { closeSync, openSync, writeSync } from 'node:fs';
import { createDeflateRaw, crc32, deflateRawSync } from 'node:zlib';

/** One entry: given bytes, or `zeros` bytes of zeros (deflated as a stream, never held whole). */
export interface ZipEntryToWrite {
  name: string;
  data?: Uint8Array;
  zeros?: number;
  /** The inflated size written in the headers, when it should lie. */
  declaredSize?: number;
}

async function deflateZeros(count: number): Promise<{ compressed: Buffer; crc: number }> {
  const deflate = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  const ended = new Promise((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  const block = Buffer.alloc(1 << 20);
  let crc = 0;
  for (let left = count; left > 0; left -= block.length) {
    const piece = left >= block.length ? block : block.subarray(0, left);
    crc = crc32(piece, crc);
    if (!deflate.write(piece)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await ended;
  return { compressed: Buffer.concat(out), crc };
}

/**
 * A local or central header: both hold, from `at`, version needed, flags (UTF-8 names),
 * method (deflate), time, date, CRC, both sizes and the name length.
 */
function header(signature: number, length: number, at: number, f: { crc: number; compressedSize: number; size: number; nameLength: number }): Buffer {
  const buffer = Buffer.alloc(length);
  buffer.writeUInt32LE(signature, 0);
  buffer.writeUInt16LE(20, at);
  buffer.writeUInt16LE(0x0800, at + 2);
  buffer.writeUInt16LE(8, at + 4);
  buffer.writeUInt32LE(f.crc >>> 0, at + 10);
  buffer.writeUInt32LE(f.compressedSize, at + 14);
  buffer.writeUInt32LE(f.size, at + 18);
  buffer.writeUInt16LE(f.nameLength, at + 22);
  return buffer;
}

/** How the archive is laid out. */
export interface ZipLayout {
  /**
   * Zip64: every size, offset and count that has a Zip64 field is written there, its 32- or
   * 16-bit field set to all ones (as writers do past 4 GB or 65,535 entries, and some always).
   */
  zip64?: boolean;
}

const ONES32 = 0xffffffff;

/** A Zip64 extended-information extra field (id 0x0001) holding `values` as 64-bit numbers. */
function zip64Extra(values: number[]): Buffer {
  const extra = Buffer.alloc(4 + 8 * values.length);
  extra.writeUInt16LE(0x0001, 0);
  extra.writeUInt16LE(8 * values.length, 2);
  values.forEach((value, i) => extra.writeBigUInt64LE(BigInt(value), 4 + 8 * i));
  return extra;
}

/** The Zip64 end of central directory record and its locator, which stand before the classic end record. */
function zip64End(count: number, directorySize: number, directoryOffset: number, recordOffset: number): Buffer {
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(BigInt(56 - 12), 4); // size of the rest of the record
  record.writeUInt16LE(45, 12); // version made by
  record.writeUInt16LE(45, 14); // version needed: Zip64
  record.writeBigUInt64LE(BigInt(count), 24);
  record.writeBigUInt64LE(BigInt(count), 32);
  record.writeBigUInt64LE(BigInt(directorySize), 40);
  record.writeBigUInt64LE(BigInt(directoryOffset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(recordOffset), 8);
  locator.writeUInt32LE(1, 16); // total number of disks
  return Buffer.concat([record, locator]);
}

/** Writes a zip (deflate; Zip64 when the layout asks) with the entries in order. */
export async function writeZip(file: string, entries: ZipEntryToWrite[], layout: ZipLayout = {}): Promise<void> {
  const fd = openSync(file, 'w');
  const central: Buffer[] = [];
  let offset = 0;
  const put = (buffer: Buffer) => {
    writeSync(fd, buffer);
    offset += buffer.length;
  };
  try {
    for (const entry of entries) {
      const name = Buffer.from(entry.name);
      const { compressed, crc } = entry.zeros !== undefined
        ? await deflateZeros(entry.zeros)
        : { compressed: deflateRawSync(entry.data ?? new Uint8Array()), crc: crc32(entry.data ?? new Uint8Array()) };
      const size = entry.declaredSize ?? entry.zeros ?? entry.data?.length ?? 0;
      const zip64 = layout.zip64 === true;
      const fields = zip64
        ? { crc, compressedSize: ONES32, size: ONES32, nameLength: name.length }
        : { crc, compressedSize: compressed.length, size, nameLength: name.length };
      const local = header(0x04034b50, 30, 4, fields);
      const record = header(0x02014b50, 46, 6, fields);
      record.writeUInt16LE(zip64 ? 45 : 20, 4);
      record.writeUInt32LE(zip64 ? ONES32 : offset, 42);
      // Both sizes in the local header; in the central one in order: size, compressed size, offset.
      const localExtra = zip64 ? zip64Extra([size, compressed.length]) : Buffer.alloc(0);
      const centralExtra = zip64 ? zip64Extra([size, compressed.length, offset]) : Buffer.alloc(0);
      if (zip64) {
        local.writeUInt16LE(45, 4);
        local.writeUInt16LE(localExtra.length, 28);
        record.writeUInt16LE(45, 6);
        record.writeUInt16LE(centralExtra.length, 30);
      }
      central.push(record, name, centralExtra);
      put(local);
      put(name);
      put(localExtra);
      put(compressed);
    }
    const directory = Buffer.concat(central);
    const directoryOffset = offset;
    put(directory);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    if (layout.zip64) {
      put(zip64End(entries.length, directory.length, directoryOffset, offset));
      end.writeUInt16LE(0xffff, 8);
      end.writeUInt16LE(0xffff, 10);
      end.writeUInt32LE(ONES32, 12);
      end.writeUInt32LE(ONES32, 16);
    } else {
      end.writeUInt16LE(entries.length, 8);
      end.writeUInt16LE(entries.length, 10);
      end.writeUInt32LE(directory.length, 12);
      end.writeUInt32LE(directoryOffset, 16);
    }
    put(end);
  } finally {
    closeSync(fd);
  }
}
