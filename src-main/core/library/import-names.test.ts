/** Names and paths the file system allows but text does not: bytes that are not UTF-8, a photo replaced by a folder. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFolder } from './import-folder';
import { makeImage } from './library-fixtures';
import { useProjectFixture } from './test-support/project-fixture';

const fixture = useProjectFixture();

const rows = () => fixture.project.db.prepare('SELECT path, missing FROM images ORDER BY path').all() as { path: string; missing: number }[];

describe('file names that are not valid UTF-8', () => {
  it('skips each with its true reason, naming the bytes, and imports the rest', async () => {
    const { project, photos: root } = fixture;
    const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
    // Latin-1 "é" as a lone byte: what a camera card or an old archive often holds.
    fs.writeFileSync(bytes(root, '/caf', [0xe9], '.png'), await makeImage('png', 1));
    fs.mkdirSync(bytes(root, '/f', [0xff], 'lder'));
    fs.writeFileSync(bytes(root, '/f', [0xff], 'lder/inside.png'), await makeImage('png', 2));
    fs.writeFileSync(path.join(root, 'ok.png'), await makeImage('png', 3));
    fs.writeFileSync(path.join(root, 'café ✓.png'), await makeImage('png', 4));

    const summary = await importFolder(project, root);
    expect(summary.added).toBe(2);
    expect(rows().map((r) => path.basename(r.path))).toEqual(['café ✓.png', 'ok.png']);
    expect(summary.skipped.map((s) => s.reason).sort()).toEqual([
      'file name is not valid UTF-8 (caf\\xe9.png); Graft keeps paths as text, so rename the file to import it',
      'folder name is not valid UTF-8 (f\\xfflder); Graft keeps paths as text, so rename the folder to import the photos in it',
    ]);
  });
});

describe('a photo replaced by a folder', () => {
  it('is flagged missing on the next import', async () => {
    const { project, photos: root } = fixture;
    const photo = path.join(root, 'a.png');
    fs.writeFileSync(photo, await makeImage('png', 1));
    fs.writeFileSync(path.join(root, 'b.png'), await makeImage('png', 2));
    expect((await importFolder(project, root)).added).toBe(2);
    fs.rmSync(photo);
    fs.mkdirSync(photo);
    const again = await importFolder(project, root);
    expect(again.missing).toBe(1);
    expect(rows()).toEqual([
      { path: photo, missing: 1 },
      { path: path.join(root, 'b.png'), missing: 0 },
    ]);
  });
});
