import { createHash } from 'node:crypto';
import fs from 'node:fs';

/** The content-hash algorithm; sha256 runs at ~1.4 GB/s with SHA-NI, far above decode speed. */
export const HASH_ALGORITHM = 'sha256';

/** Hex content hash of bytes already in memory. */
export function hashBuffer(bytes: Buffer): string {
  return createHash(HASH_ALGORITHM).update(bytes).digest('hex');
}

/** Hex content hash of a file, streamed so a large file never sits in memory. */
export async function hashFile(filePath: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash(HASH_ALGORITHM);
  const stream = fs.createReadStream(filePath, { signal, highWaterMark: 1 << 20 });
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
