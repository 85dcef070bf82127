/**
 * The same photo at several paths: the copy in a class folder is kept with its label, whatever
 * order the files are read in; copies naming different classes are a conflict to resolve.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Project } from '../project/project';
import type { ImportOptions, ImportSummary } from '../../api/types/import';
import { importFolder } from './import-folder';
import { assignLabel } from './labels';
import { createClass, listClasses } from './classes';
import { cleanUp, makeImage, makeProject, makeTempDir, type TempDir } from './library-fixtures';

let tmp: TempDir;
let project: Project;
let root: string;

beforeEach(() => {
  tmp = makeTempDir();
  root = path.join(tmp.dir, 'photos');
  project = makeProject(tmp);
});

afterEach(() => cleanUp(tmp, project));

const abs = (rel: string) => path.join(root, rel);

/** Writes photo number `n` (distinct bytes per n) at each of the relative paths. */
async function write(n: number, ...rels: string[]): Promise<void> {
  const bytes = await makeImage('jpeg', n);
  for (const rel of rels) {
    fs.mkdirSync(path.dirname(abs(rel)), { recursive: true });
    fs.writeFileSync(abs(rel), bytes);
  }
}

/** Two classes of three photos each, as a user's folder would have them. */
async function writeClasses(): Promise<void> {
  for (let i = 1; i <= 3; i++) {
    await write(i, `green_dots/green_dots_000${i}.jpg`);
    await write(10 + i, `red_stripes/red_stripes_001${i}.jpg`);
  }
}

/** Every row with its label, by path. */
function library(): Record<string, string | null> {
  const rows = project.db
    .prepare('SELECT i.path, c.name FROM images i LEFT JOIN labels l ON l.image_id = i.id LEFT JOIN classes c ON c.id = l.class_id ORDER BY i.path')
    .all() as { path: string; name: string | null }[];
  return Object.fromEntries(rows.map((row) => [path.relative(root, row.path), row.name]));
}

const classNames = () => listClasses(project).map((c) => c.name).sort();
const rel = (summary: ImportSummary) => ({
  duplicates: summary.duplicates.map((d) => [path.relative(root, d.path), path.relative(root, d.duplicateOf)]),
  conflicts: summary.conflicts.map((c) => ({ ...c, path: path.relative(root, c.path), copies: c.copies.map((x) => [path.relative(root, x.path), x.className]) })),
});

const labelsOn: ImportOptions = { labelsFromSubfolders: true };

describe('duplicate preference', () => {
  // One worker reads in walk order (the loose copy first); eight read in no fixed order.
  it.each([1, 8])('keeps the labelled copy over a loose one at the root (concurrency %i)', async (concurrency) => {
    await writeClasses();
    await write(10, 'loose_at_root.jpg', 'red_stripes/red_stripes_0010.jpg');
    const summary = await importFolder(project, root, { ...labelsOn, concurrency });
    expect(rel(summary)).toEqual({ duplicates: [['loose_at_root.jpg', 'red_stripes/red_stripes_0010.jpg']], conflicts: [] });
    expect(summary.classes).toEqual({ green_dots: 3, red_stripes: 4 });
    expect(library()['red_stripes/red_stripes_0010.jpg']).toBe('red_stripes');
    expect(library()).not.toHaveProperty('loose_at_root.jpg');
    expect(summary.added).toBe(7);
  });

  it('moves an unlabelled row imported earlier to the labelled copy, with its label', async () => {
    await writeClasses();
    await write(10, 'loose_at_root.jpg', 'red_stripes/red_stripes_0010.jpg');
    // Without folder labels every copy ranks the same: the path that sorts first holds the photo.
    const plain = await importFolder(project, root, { concurrency: 1 });
    expect(rel(plain).duplicates).toEqual([['red_stripes/red_stripes_0010.jpg', 'loose_at_root.jpg']]);
    const imageId = (project.db.prepare('SELECT id FROM images WHERE path = ?').get(abs('loose_at_root.jpg')) as { id: number }).id;

    const labelled = await importFolder(project, root, labelsOn);
    expect(rel(labelled).duplicates).toEqual([['loose_at_root.jpg', 'red_stripes/red_stripes_0010.jpg']]);
    // The same row (its splits and history) now points at the labelled copy.
    expect(project.db.prepare('SELECT path FROM images WHERE id = ?').get(imageId)).toEqual({ path: abs('red_stripes/red_stripes_0010.jpg') });
    expect(library()['red_stripes/red_stripes_0010.jpg']).toBe('red_stripes');
    expect(labelled.classes).toEqual({ green_dots: 3, red_stripes: 4 });
  });

  it.each([1, 8])('keeps the copy in a class folder over one in a deep stray folder (concurrency %i)', async (concurrency) => {
    await writeClasses();
    // "deep" sorts before "green_dots": the stray copy is read first.
    await write(3, 'deep/a/deep_green.jpg');
    const summary = await importFolder(project, root, { ...labelsOn, concurrency });
    expect(rel(summary)).toEqual({ duplicates: [['deep/a/deep_green.jpg', 'green_dots/green_dots_0003.jpg']], conflicts: [] });
    expect(summary.classes).toEqual({ green_dots: 3, red_stripes: 3 });
    expect(library()['green_dots/green_dots_0003.jpg']).toBe('green_dots');
    // No class "a" with one photo in it.
    expect(classNames()).toEqual(['green_dots', 'red_stripes']);
  });

  it('still labels a photo found only in a stray folder', async () => {
    await writeClasses();
    await write(20, 'deep/a/only_here.jpg');
    const summary = await importFolder(project, root, labelsOn);
    expect(summary.duplicates).toEqual([]);
    expect(library()['deep/a/only_here.jpg']).toBe('a');
  });

  it.each([1, 8])('reports the same photo under two classes as a conflict and leaves it unlabelled (concurrency %i)', async (concurrency) => {
    await writeClasses();
    await write(2, 'red_stripes/also_green.jpg');
    const summary = await importFolder(project, root, { ...labelsOn, concurrency });
    const id = (project.db.prepare('SELECT id FROM images WHERE path = ?').get(abs('green_dots/green_dots_0002.jpg')) as { id: number }).id;
    expect(rel(summary)).toEqual({
      duplicates: [],
      conflicts: [
        {
          path: 'green_dots/green_dots_0002.jpg',
          imageId: id,
          copies: [
            ['green_dots/green_dots_0002.jpg', 'green_dots'],
            ['red_stripes/also_green.jpg', 'red_stripes'],
          ],
          label: null,
        },
      ],
    });
    expect(library()['green_dots/green_dots_0002.jpg']).toBeNull();
    expect(summary.classes).toEqual({ green_dots: 2, red_stripes: 3 });
    expect(project.db.prepare("SELECT counts FROM import_runs").get()).toEqual({ counts: expect.stringContaining('"conflicts":1') });
  });

  it('keeps the label the user gave a photo that turns out to be in two class folders', async () => {
    await writeClasses();
    await write(2, 'red_stripes/also_green.jpg');
    await importFolder(project, root);
    const id = (project.db.prepare('SELECT id FROM images WHERE path = ?').get(abs('green_dots/green_dots_0002.jpg')) as { id: number }).id;
    assignLabel(project, [id], createClass(project, 'mine').classId);

    const summary = await importFolder(project, root, labelsOn);
    expect(summary.conflicts).toEqual([expect.objectContaining({ imageId: id, label: 'mine' })]);
    expect(library()['green_dots/green_dots_0002.jpg']).toBe('mine');
  });

  it('does not leave behind an empty class made for a copy that lost a conflict', async () => {
    await write(1, 'only/x.jpg', 'other/y.jpg');
    const summary = await importFolder(project, root, { ...labelsOn, concurrency: 1 });
    expect(summary.conflicts).toHaveLength(1);
    expect(classNames()).toEqual([]);
    expect(summary.classes).toEqual({});
  });

  it('gives the same library and the same report on every re-import', async () => {
    await writeClasses();
    await write(10, 'loose_at_root.jpg', 'red_stripes/red_stripes_0010.jpg');
    await write(3, 'deep/a/deep_green.jpg');
    await write(2, 'red_stripes/also_green.jpg');
    await write(30, 'z/one.jpg', 'z/two.jpg');

    const first = await importFolder(project, root, { ...labelsOn, concurrency: 8 });
    const afterFirst = library();
    const classesAfterFirst = classNames();
    for (const concurrency of [1, 8]) {
      const again = await importFolder(project, root, { ...labelsOn, concurrency });
      expect(rel(again)).toEqual(rel(first));
      expect(again).toMatchObject({ added: 0, updated: 0, relinked: 0, missing: 0 });
      expect(library()).toEqual(afterFirst);
      expect(classNames()).toEqual(classesAfterFirst);
    }
    expect(rel(first).duplicates).toEqual([
      ['deep/a/deep_green.jpg', 'green_dots/green_dots_0003.jpg'],
      ['loose_at_root.jpg', 'red_stripes/red_stripes_0010.jpg'],
      ['z/two.jpg', 'z/one.jpg'],
    ]);
  });
});
