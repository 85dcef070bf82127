// Test support: writes zip files entry by entry, including hostile ones (deflated zeros that
// inflate to gigabytes, headers that declare another size than the data inflates to).
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

/** Writes a zip (deflate, no Zip64) with the entries in order. */
export async function writeZip(file: string, entries: ZipEntryToWrite[]): Promise<void> {
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
      const fields = { crc, compressedSize: compressed.length, size, nameLength: name.length };
      const local = header(0x04034b50, 30, 4, fields);
      const record = header(0x02014b50, 46, 6, fields);
      record.writeUInt16LE(20, 4);
      record.writeUInt32LE(offset, 42);
      central.push(record, name);
      put(local);
      put(name);
      put(compressed);
    }
    const directory = Buffer.concat(central);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(entries.length, 8);
    end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(offset, 16);
    put(directory);
    put(end);
  } finally {
    closeSync(fd);
  }
}
