import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { extractZipEntry, readZipDirectory, ZipEntryTooLarge, ZipFormatError } from './zip-entries';

const dir = mkdtempSync(path.join(os.tmpdir(), 'graft-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function entries(file: string) {
  const handle = await open(file, 'r');
  const stat = await handle.stat();
  return { handle, list: await readZipDirectory(handle, stat.size) };
}

describe('zip entries', () => {
  it('lists names and sizes from the directory and inflates stored and deflated entries alike', async () => {
    const text = new Uint8Array(Buffer.from('hello '.repeat(1000)));
    const file = path.join(dir, 'a.zip');
    // With a comment, so the end record is not the last 22 bytes.
    writeFileSync(file, zipSync({ 'stored.txt': [text, { level: 0 }], 'deflated.txt': [text, { level: 9 }] }, { comment: 'a comment' } as never));
    const { handle, list } = await entries(file);
    try {
      expect(list.map((e) => [e.name, e.method, e.size])).toEqual([
        ['stored.txt', 0, 6000],
        ['deflated.txt', 8, 6000],
      ]);
      for (const entry of list) {
        const parts: Buffer[] = [];
        expect(await extractZipEntry(handle, entry, 6000, (c) => void parts.push(c))).toBe(6000);
        expect(Buffer.concat(parts).toString()).toBe('hello '.repeat(1000));
      }
      await expect(extractZipEntry(handle, list[1]!, 5999, () => undefined)).rejects.toBeInstanceOf(ZipEntryTooLarge);
    } finally {
      await handle.close();
    }
  });

  it('refuses what is not a zip, and a directory that points past the file', async () => {
    const file = path.join(dir, 'b.zip');
    writeFileSync(file, Buffer.from('PK not really a zip at all, no end record here'));
    const handle = await open(file, 'r');
    await expect(readZipDirectory(handle, (await handle.stat()).size)).rejects.toBeInstanceOf(ZipFormatError);
    await handle.close();
    const broken = Buffer.from(zipSync({ 'x.txt': new Uint8Array([1, 2, 3]) }));
    broken.writeUInt32LE(0x7fffffff, broken.length - 6);
    writeFileSync(file, broken);
    const again = await open(file, 'r');
    await expect(readZipDirectory(again, broken.length)).rejects.toThrow(/out of bounds/);
    await again.close();
  });
});
