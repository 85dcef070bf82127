import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRegularFile, readRegularFile, readRegularFileChunks } from './regular-file';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-regular-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('reading a file someone named', () => {
  it('reads a regular file whole, and through a symlink', async () => {
    const file = path.join(dir, 'a.txt');
    fs.writeFileSync(file, 'hello');
    fs.symlinkSync(file, path.join(dir, 'link'));
    expect((await readRegularFile(file, { maxBytes: 5 })).toString()).toBe('hello');
    expect((await readRegularFile(path.join(dir, 'link'), { maxBytes: 5 })).toString()).toBe('hello');
  });

  it('refuses what is not a regular file, without waiting on it', async () => {
    const fifo = path.join(dir, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    await expect(readRegularFile(fifo, { maxBytes: 10, what: 'The CSV' })).rejects.toMatchObject({
      reason: 'not-regular',
      message: `The CSV ${fifo} is a named pipe (FIFO), not a regular file.`,
    });
    await expect(readRegularFile('/dev/zero', { maxBytes: 10 })).rejects.toMatchObject({ reason: 'not-regular', message: /is a device/ });
    await expect(readRegularFile(dir, { maxBytes: 10 })).rejects.toMatchObject({ reason: 'not-regular', message: /folder/ });
    await expect(readRegularFile(path.join(dir, 'none'), { maxBytes: 10 })).rejects.toMatchObject({ reason: 'missing' });
  });

  it('refuses a file larger than the limit before reading, and one that grows past it while read', async () => {
    const file = path.join(dir, 'big');
    fs.writeFileSync(file, Buffer.alloc(11));
    await expect(openRegularFile(file, { maxBytes: 10 })).rejects.toMatchObject({ reason: 'too-large' });
    fs.writeFileSync(file, Buffer.alloc(4));
    let grown = false;
    const read = readRegularFileChunks(file, { maxBytes: 10, chunkBytes: 4 }, () => {
      if (!grown) fs.appendFileSync(file, Buffer.alloc(20));
      grown = true;
    });
    await expect(read).rejects.toMatchObject({ reason: 'too-large' });
  });
});
