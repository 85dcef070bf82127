import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProject, openProject, type Project } from '../project/project';
import { importFolder } from './import-folder';
import { nodeImportFileIo } from './import-file';
import type { ImportOptions, ImportProgress } from '../../api/types/import';
import { cleanUp, makeImage, makePhotoFolder, makeProject, makeTempDir, type PhotoFixture, type TempDir } from './library-fixtures';
import { thumbnailPath } from './thumbnails';

let tmp: TempDir;
let project: Project;
let fx: PhotoFixture;

beforeEach(async () => {
  tmp = makeTempDir();
  fx = await makePhotoFolder(tmp.dir);
  project = makeProject(tmp);
});

afterEach(() => cleanUp(tmp, project));

const abs = (rel: string) => path.join(fx.root, rel);
const rows = () => project.db.prepare('SELECT * FROM images ORDER BY path').all() as Record<string, unknown>[];

describe('importFolder', () => {
  it('with followLinksOutside false, leaves links out of the folder unfollowed and says so', async () => {
    const elsewhere = makeTempDir();
    try {
      fs.writeFileSync(path.join(elsewhere.dir, 'private.jpg'), await makeImage('jpeg', 7));
      fs.symlinkSync(elsewhere.dir, abs('elsewhere'));
      const summary = await importFolder(project, fx.root, { followLinksOutside: false });
      expect(summary.skipped.find((s) => s.path === abs('elsewhere'))?.reason).toMatch(/^a link to .*, outside the imported folder \(not followed\)$/);
      expect(rows().some((r) => String(r.path).includes('private.jpg'))).toBe(false);
    } finally {
      elsewhere.cleanup();
    }
  });

  it('imports every good photo, reports the duplicate and lists each bad file with its reason', async () => {
    const summary = await importFolder(project, fx.root);
    const readable = fx.permissionsIgnored ? [fx.locked.file, fx.locked.folderFile] : [];
    expect(summary.added).toBe(fx.good.length + readable.length);
    expect(summary.cancelled).toBe(false);

    // Whichever copy of cat1 was hashed first is kept; the other is the duplicate.
    expect(summary.duplicates).toHaveLength(1);
    const pair = [summary.duplicates[0]!.path, summary.duplicates[0]!.duplicateOf].sort();
    expect(pair).toEqual([abs('cats/indoor/cat1.jpg'), abs(fx.duplicate)].sort());

    const reasons = new Map(summary.skipped.map((s) => [s.path, s.reason]));
    for (const [rel, pattern] of Object.entries(fx.bad)) expect(reasons.get(abs(rel)), rel).toMatch(pattern);
    if (fx.permissionsIgnored) {
      console.info('Running as root: chmod 000 does not stop reads, so the locked file and folder import normally.');
    } else {
      expect(reasons.get(abs(fx.locked.file))).toMatch(/permission denied/);
      expect(reasons.get(abs('bad/locked-dir'))).toMatch(/permission denied/);
    }
    expect(summary.skipped).toHaveLength(Object.keys(fx.bad).length + (fx.permissionsIgnored ? 0 : 2));

    const stored = rows();
    expect(stored).toHaveLength(summary.added);
    const cat1 = stored.find((r) => r.file_name === 'cat1.jpg' || r.file_name === 'zz-copy-of-cat1.jpg')!;
    // EXIF orientation 6: stored 300×200, shown 200×300.
    expect([cat1.width, cat1.height]).toEqual([200, 300]);
    const formats = new Set(stored.map((r) => r.format));
    expect([...formats].sort()).toEqual(['avif', 'gif', 'jpeg', 'png', 'tiff', 'webp']);
    for (const row of stored) expect(row.content_hash).toMatch(/^[0-9a-f]{64}$/);

    const issues = project.db.prepare('SELECT kind, COUNT(*) AS n FROM import_issues GROUP BY kind').all();
    expect(issues).toEqual(
      expect.arrayContaining([
        { kind: 'duplicate', n: 1 },
        { kind: 'skipped', n: summary.skipped.length },
      ]),
    );
    expect(project.db.prepare('SELECT status FROM import_runs').get()).toEqual({ status: 'done' });
  });

  it('reports unreadable files and folders even where permissions do not apply (injected EACCES)', async () => {
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const summary = await importFolder(project, fx.root, {}, {}, {
      file: {
        stat: nodeImportFileIo.stat,
        readFile: (file, signal) => (file.endsWith('dog3.jpeg') ? Promise.reject(denied) : nodeImportFileIo.readFile(file, signal)),
      },
      walk: {
        readdir: (dir) => (dir.endsWith(`${path.sep}big`) ? Promise.reject(denied) : fs.promises.readdir(dir, { withFileTypes: true, encoding: 'buffer' })),
        stat: (target) => fs.promises.stat(target),
      },
    });
    const reasons = new Map(summary.skipped.map((s) => [s.path, s.reason]));
    expect(reasons.get(abs('dogs/small/dog3.jpeg'))).toBe('cannot read file (permission denied)');
    expect(reasons.get(abs('dogs/big'))).toBe('cannot read folder (permission denied)');
    expect(rows().some((r) => r.file_name === 'dog1.gif')).toBe(false);
  });

  it('imports SVG only when asked', async () => {
    const summary = await importFolder(project, fx.root, { allowSvg: true });
    expect(summary.skipped.some((s) => s.path.endsWith('vector.svg'))).toBe(false);
    expect(rows().find((r) => r.file_name === 'vector.svg')).toMatchObject({ format: 'svg', width: 8, height: 8 });
  });

  it('names classes after folders: the photo\'s own folder by default, or a chosen depth', async () => {
    const parent = await importFolder(project, fx.root, { labelsFromSubfolders: true });
    // cat1.jpg is in indoor and (as a copy) in small: a conflict, labelled neither.
    expect(parent.classes).toMatchObject({ indoor: 1, outdoor: 2, big: 1, small: 2 });
    expect(parent.conflicts.map((c) => c.copies.map((copy) => copy.className))).toEqual([['indoor', 'small']]);
    expect(parent.classes.photos).toBeUndefined();
    const labelOf = (file: string) =>
      (
        project.db
          .prepare('SELECT c.name FROM images i JOIN labels l ON l.image_id = i.id JOIN classes c ON c.id = l.class_id WHERE i.file_name = ?')
          .get(file) as { name: string } | undefined
      )?.name;
    expect(labelOf('cat2.png')).toBe('indoor');
    expect(labelOf('top.jpg')).toBeUndefined();

    const other = makeProject(tmp, 'depth');
    try {
      const depth1 = await importFolder(other, fx.root, { labelDepth: 1 });
      expect(depth1.classes).toMatchObject({ cats: 3, dogs: 3 });
    } finally {
      other.dispose();
    }
    const deep = makeProject(tmp, 'depth2');
    try {
      const depth2 = await importFolder(deep, fx.root, { labelDepth: 2 });
      expect(depth2.classes).toMatchObject({ indoor: 1, outdoor: 2, big: 1, small: 2 });
    } finally {
      deep.dispose();
    }
  });

  it('re-imports only new or changed files, relinks moved files by hash and flags deleted ones', async () => {
    await importFolder(project, fx.root, { labelsFromSubfolders: true });
    const before = rows();
    const again = await importFolder(project, fx.root, { labelsFromSubfolders: true });
    expect(again).toMatchObject({ added: 0, updated: 0, relinked: 0, missing: 0 });
    expect(again.unchanged).toBe(before.length);

    // Move (rename keeps size and mtime), change, delete and add.
    const cat2 = before.find((r) => r.file_name === 'cat2.png')!;
    fs.mkdirSync(abs('cats/renamed'));
    fs.renameSync(abs('cats/indoor/cat2.png'), abs('cats/renamed/kitty.png'));
    const dog2 = before.find((r) => r.file_name === 'dog2.tiff')!;
    fs.writeFileSync(abs('dogs/small/dog2.tiff'), await makeImage('tiff', 99, 80, 60));
    const top = before.find((r) => r.file_name === 'top.jpg')!;
    fs.rmSync(abs('top.jpg'));
    fs.writeFileSync(abs('dogs/small/new.png'), await makeImage('png', 100));

    const third = await importFolder(project, fx.root, { labelsFromSubfolders: true });
    expect(third).toMatchObject({ added: 1, updated: 1, relinked: 1, missing: 1 });
    const byId = (id: unknown) => project.db.prepare('SELECT * FROM images WHERE id = ?').get(id) as Record<string, unknown>;
    expect(byId(cat2.id)).toMatchObject({ path: abs('cats/renamed/kitty.png'), file_name: 'kitty.png', content_hash: cat2.content_hash, missing: 0 });
    // The relinked photo keeps the label it had, not the name of its new folder.
    const label = project.db.prepare('SELECT c.name FROM labels l JOIN classes c ON c.id = l.class_id WHERE l.image_id = ?');
    expect(label.get(cat2.id)).toEqual({ name: 'indoor' });
    expect(byId(dog2.id)).toMatchObject({ width: 80, height: 60, missing: 0 });
    expect(byId(dog2.id).content_hash).not.toBe(dog2.content_hash);
    expect(label.get(dog2.id)).toEqual({ name: 'small' });
    expect(byId(top.id).missing).toBe(1);

    // Putting the deleted file back brings the row back from missing.
    fs.writeFileSync(abs('top.jpg'), await makeImage('jpeg', 8));
    fs.utimesSync(abs('top.jpg'), new Date(), new Date(Number(top.mtime_ms)));
    const fourth = await importFolder(project, fx.root);
    expect(fourth).toMatchObject({ added: 0, relinked: 0, missing: 0 });
    expect(byId(top.id).missing).toBe(0);
  });

  it('relinks a file moved to another folder when that folder is imported', async () => {
    await importFolder(project, fx.root);
    const elsewhere = path.join(tmp.dir, 'elsewhere');
    fs.mkdirSync(elsewhere);
    const id = (project.db.prepare("SELECT id FROM images WHERE file_name = 'cat3.webp'").get() as { id: number }).id;
    fs.renameSync(abs('cats/outdoor/cat3.webp'), path.join(elsewhere, 'cat3.webp'));
    const summary = await importFolder(project, elsewhere);
    expect(summary).toMatchObject({ added: 0, relinked: 1 });
    expect(project.db.prepare('SELECT path FROM images WHERE id = ?').get(id)).toEqual({ path: path.join(elsewhere, 'cat3.webp') });
  });

  it('reports progress with totals, rate and ETA, and can write thumbnails while importing', async () => {
    const events: ImportProgress[] = [];
    const summary = await importFolder(project, fx.root, { thumbnails: 64 }, { onProgress: (p) => events.push(p) });
    const last = events.at(-1)!;
    expect(last).toMatchObject({ phase: 'done', added: summary.added, etaSeconds: 0 });
    expect(last.done).toBe(last.total);
    expect(events.every((e) => e.done <= e.total)).toBe(true);
    for (const row of rows()) expect(fs.existsSync(thumbnailPath(project.layout, row.content_hash as string, 64))).toBe(true);
  });

  it('skips the project folder when it sits inside the imported folder', async () => {
    const inside = openProjectInside(fx.root);
    try {
      fs.writeFileSync(path.join(inside.layout.thumbnails, 'x.jpg'), await makeImage('jpeg', 1));
      const summary = await importFolder(inside, fx.root);
      expect(summary.skipped.find((s) => s.path === inside.layout.dir)?.reason).toMatch(/Graft project folder/);
    } finally {
      inside.dispose();
    }
  });

  it('refuses a folder that does not exist, a file, and a second import running at once', async () => {
    await expect(importFolder(project, path.join(tmp.dir, 'nope'))).rejects.toMatchObject({ code: 'not-found' });
    await expect(importFolder(project, abs('top.jpg'))).rejects.toMatchObject({ code: 'bad-request' });
    await expect(importFolder(project, fx.root, { labelDepth: 0 })).rejects.toMatchObject({ code: 'bad-request' });
    // Options a client could send through library.import: whole numbers within their ranges only.
    const bad: ImportOptions[] = [
      { concurrency: 0 },
      { concurrency: 65 },
      { batchSize: 0 },
      { batchSize: 2.5 },
      { batchSize: 1_000_000 },
      { batchSize: '10' as unknown as number },
      { maxPixels: 0 },
      { maxPixels: Infinity },
      { maxPixels: 1e12 },
      { maxPixels: '1000' as unknown as number },
    ];
    for (const options of bad) {
      await expect(importFolder(project, fx.root, options), JSON.stringify(options)).rejects.toMatchObject({ code: 'bad-request' });
    }
    expect(project.db.prepare('SELECT COUNT(*) AS n FROM import_runs').get()).toEqual({ n: 0 });
    const first = importFolder(project, fx.root);
    await expect(importFolder(project, fx.root)).rejects.toThrow(/already running/);
    await first;
  });
});

function openProjectInside(root: string): Project {
  const dir = path.join(root, 'my-project');
  createProject(dir).dispose();
  return openProject(dir);
}
