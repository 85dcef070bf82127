import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { browseFolder, type BrowseFs } from './folder-browser';
import { makeTempDir, type TempDir } from './library-fixtures';

let tmp: TempDir;
let home: string;

function touch(...files: string[]): void {
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
    fs.writeFileSync(path.join(home, file), 'x');
  }
}

beforeEach(() => {
  tmp = makeTempDir('graft-browse-');
  home = path.join(tmp.dir, 'home');
  touch('Pictures/cats/a.jpg', 'Pictures/cats/b.PNG', 'Pictures/cats/notes.txt', 'Pictures/dogs/c.webp', 'Pictures/loose.jpg', 'Documents/x.pdf', '.cache/y.jpg', 'file.jpg');
  fs.mkdirSync(path.join(home, 'Pictures', 'empty'));
});
afterEach(() => tmp.cleanup());

describe('browseFolder', () => {
  it('starts at home and lists folders only, with the photos each holds, hidden ones left out', async () => {
    const listing = await browseFolder({}, { home });
    expect(listing).toMatchObject({ path: fs.realpathSync(home), home, parent: path.dirname(fs.realpathSync(home)), images: 1, hidden: 1, truncated: false, recent: [] });
    expect(listing.folders).toEqual([
      { name: 'Documents', kind: 'folder', path: path.join(fs.realpathSync(home), 'Documents'), note: null, images: 0 },
      { name: 'Pictures', kind: 'folder', path: path.join(fs.realpathSync(home), 'Pictures'), note: null, images: 1 },
    ]);
    const pictures = await browseFolder({ path: listing.folders[1]!.path! }, { home });
    expect(pictures.folders.map((f) => [f.name, f.images])).toEqual([['cats', 2], ['dogs', 1], ['empty', 0]]);
    expect((await browseFolder({ path: '~/Pictures/cats' }, { home })).path).toBe(fs.realpathSync(path.join(home, 'Pictures', 'cats')));
    expect((await browseFolder({ showHidden: true }, { home })).folders.map((f) => f.name)).toEqual(['.cache', 'Documents', 'Pictures']);
  });

  it('shows a folder link as a link, entering it only when it stays inside the listed folder', async () => {
    const outside = path.join(tmp.dir, 'outside');
    fs.mkdirSync(outside);
    fs.symlinkSync(outside, path.join(home, 'Pictures', 'elsewhere'));
    fs.symlinkSync(path.join(home, 'Pictures', 'cats'), path.join(home, 'Pictures', 'kittens'));
    fs.symlinkSync(path.join(home, 'Pictures', 'loose.jpg'), path.join(home, 'Pictures', 'file-link'));
    fs.symlinkSync(path.join(home, 'nowhere'), path.join(home, 'Pictures', 'broken'));
    const listing = await browseFolder({ path: path.join(home, 'Pictures') }, { home });
    const byName = new Map(listing.folders.map((f) => [f.name, f]));
    expect(byName.get('elsewhere')).toEqual({ name: 'elsewhere', kind: 'link', path: null, note: `links to ${fs.realpathSync(outside)}, outside this folder`, images: null });
    expect(byName.get('kittens')).toEqual({ name: 'kittens', kind: 'link', path: fs.realpathSync(path.join(home, 'Pictures', 'cats')), note: null, images: 2 });
    expect(byName.has('file-link')).toBe(false);
    expect(byName.has('broken')).toBe(false);
    // A listed path is always the real one: listing through a link lands on its target.
    const viaLink = await browseFolder({ path: path.join(home, 'Pictures', 'kittens') }, { home });
    expect(viaLink.path).toBe(fs.realpathSync(path.join(home, 'Pictures', 'cats')));
  });

  it('refuses a folder the user may not read with a clear message, and marks unreadable subfolders', async () => {
    const secret = path.join(fs.realpathSync(home), 'Pictures', 'dogs');
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    // Root reads every folder, so the refusal is injected.
    const io: BrowseFs = {
      readdir: (dir) => (dir === secret ? Promise.reject(denied) : fs.promises.readdir(dir, { withFileTypes: true })),
      realpath: (target) => fs.promises.realpath(target),
      stat: (target) => fs.promises.stat(target),
    };
    await expect(browseFolder({ path: secret }, { home, fs: io })).rejects.toMatchObject({
      code: 'io',
      message: expect.stringMatching(new RegExp(`^You may not read ${secret}: the server runs as .+, who has no permission to list it\\.$`)),
    });
    const listing = await browseFolder({ path: path.dirname(secret) }, { home, fs: io });
    expect(listing.folders.find((f) => f.name === 'dogs')).toMatchObject({ path: null, images: null, note: expect.stringContaining('You may not read') });
  });

  it('says when a path is missing or a file', async () => {
    await expect(browseFolder({ path: path.join(home, 'nope') }, { home })).rejects.toMatchObject({ code: 'not-found', message: `${path.join(home, 'nope')} does not exist.` });
    await expect(browseFolder({ path: path.join(home, 'file.jpg') }, { home })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('is a file; choose a folder') });
  });

  it('lists the folders imported before, newest first, saying which are gone', async () => {
    const recent = [
      { folder: path.join(home, 'Pictures', 'dogs'), importedAt: '2026-02-01T00:00:00.000Z' },
      { folder: path.join(home, 'gone'), importedAt: '2026-01-01T00:00:00.000Z' },
    ];
    expect((await browseFolder({}, { home, recent })).recent).toEqual([
      { path: recent[0]!.folder, importedAt: recent[0]!.importedAt, exists: true },
      { path: recent[1]!.folder, importedAt: recent[1]!.importedAt, exists: false },
    ]);
  });
});
