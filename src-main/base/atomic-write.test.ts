import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitFile, isStaleTempFile, openAtomicFile, removeStaleTempFiles, tempPathFor, writeFileAtomic } from './atomic-write';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-atomic-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const list = (folder = dir) => fs.readdirSync(folder).sort();

describe('writeFileAtomic', () => {
  it('makes the folder, writes the whole file and leaves no temporary file', async () => {
    const target = path.join(dir, 'a', 'b', 'out.txt');
    await writeFileAtomic(target, 'first');
    await writeFileAtomic(target, Buffer.from('second'));
    expect(fs.readFileSync(target, 'utf8')).toBe('second');
    expect(list(path.dirname(target))).toEqual(['out.txt']);
  });

  it('leaves the previous version whole and no temporary file when the rename fails', async () => {
    const target = path.join(dir, 'taken');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'inside'), 'x');
    await expect(writeFileAtomic(target, 'data')).rejects.toMatchObject({ code: expect.stringMatching(/EISDIR|ENOTEMPTY|EEXIST/) });
    expect(list()).toEqual(['taken']);
  });
});

describe('openAtomicFile', () => {
  it('shows nothing under the target name until commit, then the whole file', async () => {
    const target = path.join(dir, 'big.bin');
    const file = await openAtomicFile(target);
    expect(path.dirname(file.tempPath)).toBe(dir);
    expect(path.basename(file.tempPath)).toMatch(new RegExp(`^big\\.bin\\.${process.pid}-[0-9a-f]{8}\\.tmp$`));
    await file.write('header?');
    await file.write(Buffer.from(' body'));
    await file.handle.write('HEADER!', 0);
    expect(fs.existsSync(target)).toBe(false);
    await file.commit();
    expect(fs.readFileSync(target, 'utf8')).toBe('HEADER! body');
    expect(list()).toEqual(['big.bin']);
    await file.abort();
    expect(fs.existsSync(target)).toBe(true);
    await expect(file.commit()).rejects.toThrow(/already committed/);
  });

  it('abort removes the temporary file and keeps an earlier target', async () => {
    const target = path.join(dir, 'kept.txt');
    fs.writeFileSync(target, 'old');
    const file = await openAtomicFile(target);
    await file.write('new but unfinished');
    await file.abort();
    await file.abort();
    expect(list()).toEqual(['kept.txt']);
    expect(fs.readFileSync(target, 'utf8')).toBe('old');
  });

  it('takes a fixed temporary name when asked, replacing what a killed run left there', async () => {
    const target = path.join(dir, 'f.npy');
    fs.writeFileSync(`${target}.partial`, 'left by a killed run');
    const file = await openAtomicFile(target, { tempPath: `${target}.partial` });
    await file.write('fresh');
    await file.commit();
    expect(fs.readFileSync(target, 'utf8')).toBe('fresh');
    expect(list()).toEqual(['f.npy']);
  });
});

describe('commitFile', () => {
  it('renames a finished file over the target', async () => {
    const part = path.join(dir, 'w.h5.part');
    fs.writeFileSync(part, 'weights');
    await commitFile(part, path.join(dir, 'w.h5'));
    expect(list()).toEqual(['w.h5']);
    expect(fs.readFileSync(path.join(dir, 'w.h5'), 'utf8')).toBe('weights');
  });
});

describe('stale temporary files', () => {
  it('are those of a dead writer, or of an earlier version that named no writer', () => {
    const alive = (pid: number) => pid === 111;
    expect(isStaleTempFile('x.jpg.222-0a1b2c3d.tmp', alive)).toBe(true);
    expect(isStaleTempFile('x.jpg.111-0a1b2c3d.tmp', alive)).toBe(false);
    expect(isStaleTempFile('x.jpg.0a1b2c3d4e5f.tmp', alive)).toBe(true);
    for (const other of ['x.jpg', 'notes.tmp', 'x.jpg.222-0a1b2c3d.tmp.jpg', 'x.jpg.222-0A1B2C3D.tmp', 'x.partial']) {
      expect(isStaleTempFile(other, alive), other).toBe(false);
    }
    expect(path.basename(tempPathFor('/t/x.jpg'))).toMatch(/^x\.jpg\./);
    expect(isStaleTempFile(path.basename(tempPathFor('/t/x.jpg')))).toBe(false);
  });

  it('are removed below a folder, and nothing else is', async () => {
    const deep = path.join(dir, '256', 'ab');
    fs.mkdirSync(deep, { recursive: true });
    const names = {
      photo: 'abcd.jpg',
      dead: 'abcd.jpg.999999-00ff00ff.tmp',
      legacy: 'abcd.jpg.0123456789ab.tmp',
      live: `abcd.jpg.${process.pid}-00ff00ff.tmp`,
      user: 'mine.tmp',
    };
    for (const name of Object.values(names)) fs.writeFileSync(path.join(deep, name), 'x');
    const alive = (pid: number) => pid === process.pid;
    expect(await removeStaleTempFiles(dir, alive)).toBe(2);
    expect(list(deep)).toEqual([names.photo, names.live, names.user].sort());
    expect(await removeStaleTempFiles(path.join(dir, 'no-such-folder'))).toBe(0);
  });
});
