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
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(0x0800, 6);
      local.writeUInt16LE(8, 8);
      local.writeUInt32LE(crc >>> 0, 14);
      local.writeUInt32LE(compressed.length, 18);
      local.writeUInt32LE(size, 22);
      local.writeUInt16LE(name.length, 26);
      const record = Buffer.alloc(46);
      record.writeUInt32LE(0x02014b50, 0);
      record.writeUInt16LE(20, 4);
      record.writeUInt16LE(20, 6);
      record.writeUInt16LE(0x0800, 8);
      record.writeUInt16LE(8, 10);
      record.writeUInt32LE(crc >>> 0, 16);
      record.writeUInt32LE(compressed.length, 20);
      record.writeUInt32LE(size, 24);
      record.writeUInt16LE(name.length, 28);
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
