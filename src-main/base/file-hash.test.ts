import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashBuffer, hashFile } from './file-hash';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-hash-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('hashFile', () => {
  // Over 1 MiB, so the file is hashed in more than one chunk.
  const bytes = Buffer.from(Array.from({ length: 3 << 19 }, (_, i) => (i * 31) & 0xff));
  const file = path.join(dir, 'data.bin');
  fs.writeFileSync(file, bytes);

  it('streams sha256 by default, as the content hash of bytes in memory', async () => {
    expect(await hashFile(file)).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(await hashFile(file)).toBe(hashBuffer(bytes));
  });

  it('takes md5 where a published checksum is md5', async () => {
    expect(await hashFile(file, { algorithm: 'md5' })).toBe(createHash('md5').update(bytes).digest('hex'));
  });

  it('stops when its signal is aborted', async () => {
    await expect(hashFile(file, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
