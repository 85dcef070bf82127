import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../library/library-fixtures';
import { removeStored, storePhoto } from './photo-store';

let tmp: TempDir;
let photos: string;
const bytes = (text: string) => Buffer.from(text);

beforeEach(() => {
  tmp = makeTempDir('graft-photo-store-');
  photos = path.join(tmp.dir, 'project', 'photos');
});
afterEach(() => tmp.cleanup());

describe('storePhoto', () => {
  it('writes a photo at its relative path, making the folders', async () => {
    const stored = await storePhoto(photos, ['cats', 'indoor', 'a.jpg'], bytes('cat a'));
    expect(stored).toEqual({ path: path.join(photos, 'cats', 'indoor', 'a.jpg'), stored: 'new', createdDirs: [path.join(photos, 'cats'), path.join(photos, 'cats', 'indoor')] });
    expect(fs.readFileSync(stored.path, 'utf8')).toBe('cat a');
    expect(fs.readdirSync(path.join(photos, 'cats', 'indoor'))).toEqual(['a.jpg']);
  });

  it('keeps an identical file, and never overwrites a different one: the new photo takes a free name', async () => {
    await storePhoto(photos, ['cats', 'a.jpg'], bytes('first'));
    expect((await storePhoto(photos, ['cats', 'a.jpg'], bytes('first'))).stored).toBe('identical');
    const second = await storePhoto(photos, ['cats', 'a.jpg'], bytes('second'));
    expect(second).toMatchObject({ path: path.join(photos, 'cats', 'a (2).jpg'), stored: 'renamed' });
    const third = await storePhoto(photos, ['cats', 'a.jpg'], bytes('third!'));
    expect(third.path).toBe(path.join(photos, 'cats', 'a (3).jpg'));
    expect((await storePhoto(photos, ['cats', 'a.jpg'], bytes('second'))).path).toBe(second.path);
    expect(fs.readFileSync(path.join(photos, 'cats', 'a.jpg'), 'utf8')).toBe('first');
    expect(fs.readdirSync(path.join(photos, 'cats')).sort()).toEqual(['a (2).jpg', 'a (3).jpg', 'a.jpg']);
  });

  it('refuses to write through a folder link that leads out of the photos folder', async () => {
    const outside = path.join(tmp.dir, 'outside');
    fs.mkdirSync(outside);
    fs.mkdirSync(photos, { recursive: true });
    fs.symlinkSync(outside, path.join(photos, 'cats'));
    await expect(storePhoto(photos, ['cats', 'a.jpg'], bytes('x'))).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('leads out of the project\'s photos folder') });
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it('writes through a folder link that stays inside the photos folder', async () => {
    fs.mkdirSync(path.join(photos, 'felines'), { recursive: true });
    fs.symlinkSync(path.join(photos, 'felines'), path.join(photos, 'cats'));
    await storePhoto(photos, ['cats', 'a.jpg'], bytes('x'));
    expect(fs.readdirSync(path.join(photos, 'felines'))).toEqual(['a.jpg']);
  });

  it('never writes through a file link: its name counts as taken', async () => {
    const secret = path.join(tmp.dir, 'secret.jpg');
    fs.writeFileSync(secret, 'secret');
    fs.mkdirSync(photos, { recursive: true });
    fs.symlinkSync(secret, path.join(photos, 'a.jpg'));
    const stored = await storePhoto(photos, ['a.jpg'], bytes('secret'));
    expect(stored).toMatchObject({ path: path.join(photos, 'a (2).jpg'), stored: 'renamed' });
    expect(fs.readFileSync(secret, 'utf8')).toBe('secret');
  });

  it('refuses a file standing where a folder should be', async () => {
    fs.mkdirSync(photos, { recursive: true });
    fs.writeFileSync(path.join(photos, 'cats'), 'a file');
    await expect(storePhoto(photos, ['cats', 'a.jpg'], bytes('x'))).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('is a file, not a folder') });
  });
});

describe('removeStored', () => {
  it('removes what an upload wrote and the folders it made, not files that were there before', async () => {
    const before = await storePhoto(photos, ['old', 'a.jpg'], bytes('old'));
    const written = [
      await storePhoto(photos, ['old', 'a.jpg'], bytes('old')),
      await storePhoto(photos, ['old', 'a.jpg'], bytes('other')),
      await storePhoto(photos, ['new', 'deep', 'b.jpg'], bytes('b')),
    ];
    expect(await removeStored(written)).toBe(2);
    expect(fs.existsSync(before.path)).toBe(true);
    expect(fs.readdirSync(photos).sort()).toEqual(['old']);
    expect(fs.readdirSync(path.join(photos, 'old'))).toEqual(['a.jpg']);
  });
});
