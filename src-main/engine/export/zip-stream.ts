import { open } from 'node:fs/promises';
import { Zip, ZipPassThrough } from 'fflate';
import type { AtomicFile } from '../../base/atomic-write';

/** One zip entry: bytes in memory, or a file on disk streamed in pieces. */
export interface ZipSource {
  name: string;
  data?: Uint8Array;
  file?: string;
}

const READ_PIECE = 1 << 20;

/**
 * Writes entries into `out` (a file, or any sink whose write waits until the piece is taken) as a
 * zip, stored uncompressed as Python's zipfile (and so Keras) stores them. File entries are
 * streamed a megabyte at a time, so a large weights file is never held in memory; every piece
 * is written before the next is read.
 */
export async function writeZip(out: Pick<AtomicFile, 'write'>, entries: readonly ZipSource[], mtime: Date): Promise<void> {
  const pending: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else pending.push(chunk);
  });
  const flush = async (): Promise<void> => {
    for (let chunk = pending.shift(); chunk; chunk = pending.shift()) await out.write(chunk);
    if (failure) throw failure;
  };
  for (const entry of entries) {
    const stream = new ZipPassThrough(entry.name);
    stream.mtime = mtime;
    zip.add(stream);
    if (entry.file) {
      const handle = await open(entry.file, 'r');
      try {
        const { size } = await handle.stat();
        let offset = 0;
        do {
          const piece = Buffer.alloc(Math.min(READ_PIECE, size - offset));
          const { bytesRead } = await handle.read(piece, 0, piece.length, offset);
          if (bytesRead !== piece.length) throw new Error(`${entry.file} changed while it was being zipped`);
          offset += bytesRead;
          stream.push(piece, offset >= size);
          await flush();
        } while (offset < size);
      } finally {
        await handle.close();
      }
    } else {
      stream.push(entry.data ?? new Uint8Array(0), true);
      await flush();
    }
  }
  zip.end();
  await flush();
}
