import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { writeZip } from './test-support/zip-writer';
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

describe('Zip64 archives', () => {
  const text = Buffer.from('hello '.repeat(1000));
  const zip64Entries = [
    { name: 'config.json', data: Buffer.from('{"layers": []}') },
    { name: 'model.weights.h5', data: text },
    { name: 'zeros.bin', zeros: 70_000 },
  ];

  /** Reads every entry of a zip; returns name → bytes. */
  async function contents(file: string): Promise<Record<string, Buffer>> {
    const { handle, list } = await entries(file);
    try {
      const out: Record<string, Buffer> = {};
      for (const entry of list) {
        const parts: Buffer[] = [];
        await extractZipEntry(handle, entry, 1 << 20, (c) => void parts.push(c));
        out[entry.name] = Buffer.concat(parts);
      }
      return out;
    } finally {
      await handle.close();
    }
  }

  it('reads sizes, offsets and the entry count from the Zip64 fields', async () => {
    const file = path.join(dir, 'zip64.zip');
    await writeZip(file, zip64Entries, { zip64: true });
    const { handle, list } = await entries(file);
    await handle.close();
    expect(list.map((e) => [e.name, e.size])).toEqual([
      ['config.json', 14],
      ['model.weights.h5', 6000],
      ['zeros.bin', 70_000],
    ]);
    // Nothing was left at the 0xFFFFFFFF the classic fields hold.
    for (const entry of list) expect([entry.size, entry.compressedSize, entry.localOffset]).not.toContain(0xffffffff);
    expect(await contents(file)).toEqual({ 'config.json': zip64Entries[0]!.data, 'model.weights.h5': text, 'zeros.bin': Buffer.alloc(70_000) });
  });

  it('still refuses a Zip64 entry whose declared size is over the limit', async () => {
    const file = path.join(dir, 'zip64-big.zip');
    await writeZip(file, [{ name: 'model.weights.h5', zeros: 5000 }], { zip64: true });
    const { handle, list } = await entries(file);
    try {
      await expect(extractZipEntry(handle, list[0]!, 4999, () => undefined)).rejects.toBeInstanceOf(ZipEntryTooLarge);
    } finally {
      await handle.close();
    }
  });

  /** The zip64 archive with its bytes changed by `edit`, then read: the error it gives. */
  async function damaged(name: string, edit: (bytes: Buffer, central: number) => Buffer): Promise<unknown> {
    const file = path.join(dir, `${name}.zip`);
    await writeZip(file, zip64Entries.slice(0, 1), { zip64: true });
    const bytes = readFileSync(file);
    writeFileSync(file, edit(bytes, bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]))));
    return contents(file).then(() => null, (e: unknown) => e);
  }

  it.each([
    // The extra block cut to 12 bytes: the field inside still says 24, so its last values lie past the block.
    ['a Zip64 field longer than the extra block that holds it', (b: Buffer, central: number) => (b.writeUInt16LE(12, central + 30), b), /^the Zip64 extra field of config.json is short$/],
    ['an all-ones size without a Zip64 field', (b: Buffer, central: number) => (b.writeUInt16LE(0x9999, central + 46 + 11), b), /^the Zip64 extra field of config.json, which its header refers to, is missing$/],
    ['an end record that asks for Zip64 without its locator', (b: Buffer) => Buffer.concat([b.subarray(0, b.length - 42), b.subarray(b.length - 22)]), /Zip64 locator is missing/],
  ])('refuses %s with a format error', async (what, edit, message) => {
    const error = await damaged(what.replace(/\W+/g, '-'), edit);
    expect(error).toBeInstanceOf(ZipFormatError);
    expect((error as Error).message).toMatch(message);
  });
});
