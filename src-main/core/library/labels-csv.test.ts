import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Project } from '../project/project';
import { createClass, listClasses } from './classes';
import { csvRow, parseCsv } from '../../base/csv';
import { exportImageFolder, nodeImageFolderIo, type ImageFolderIo, type ImageFolderProgress } from './image-folder-export';
import { importFolder } from './import-folder';
import { redo, undo, undoState } from './label-journal';
import { assignLabel } from './labels';
import { exportLabelsCsv, importLabelsCsv } from './labels-csv';
import { cleanUp, makeImage, makeProject, makeTempDir, seedImageRows, type TempDir } from './library-fixtures';
import { assignSplits, unpinSplit } from './splits';

let tmp: TempDir;
let project: Project;

beforeEach(() => {
  tmp = makeTempDir();
  project = makeProject(tmp);
});

afterEach(() => cleanUp(tmp, project));

const labelRows = (p: Project) =>
  p.db
    .prepare(
      `SELECT i.path, c.name AS label, s.split, s.pinned FROM images i LEFT JOIN labels l ON l.image_id = i.id
       LEFT JOIN classes c ON c.id = l.class_id LEFT JOIN splits s ON s.image_id = i.id ORDER BY i.path`,
    )
    .all();

describe('csv', () => {
  it('quotes what needs quoting and parses it back', () => {
    const tricky = ['plain', 'with,comma', 'with "quote"', 'line\nbreak', ' padded ', ''];
    expect(csvRow(tricky)).toBe('plain,"with,comma","with ""quote""","line\nbreak"," padded ",');
    expect(parseCsv(`\ufeffa,b\r\n${csvRow(tricky)}\r\n\r\n`)).toEqual([['a', 'b'], tricky]);
    expect(() => parseCsv('"open')).toThrow(/not closed/);
    expect(() => parseCsv('"a"b')).toThrow(/after a closing quote/);
  });
});

describe('labels CSV', () => {
  it('writes only .csv files, and never over a file that is not an earlier labels export', async () => {
    seedImageRows(project, 2);
    const precious = path.join(tmp.dir, 'notes.csv');
    fs.writeFileSync(precious, 'my,own\ndata\n');
    await expect(exportLabelsCsv(project, precious)).rejects.toThrow(/not a Graft labels export/);
    expect(fs.readFileSync(precious, 'utf8')).toBe('my,own\ndata\n');
    await expect(exportLabelsCsv(project, path.join(tmp.dir, '.bashrc'))).rejects.toThrow(/ending in \.csv/);
    const file = path.join(tmp.dir, 'labels.csv');
    await exportLabelsCsv(project, file);
    expect(await exportLabelsCsv(project, file)).toMatchObject({ rows: 2 });
    expect(fs.readdirSync(tmp.dir).filter((f) => f.endsWith('.partial') || f.endsWith('.tmp'))).toEqual([]);
  });

  it('round-trips labels and splits into another project, creating classes and reporting unknown paths', async () => {
    const ids = seedImageRows(project, 10);
    const odd = createClass(project, 'odd, "quoted" class').classId;
    const even = createClass(project, 'even').classId;
    assignLabel(project, ids.filter((_, i) => i % 2), odd);
    assignLabel(project, ids.filter((_, i) => i % 2 === 0 && i < 8), even);
    assignSplits(project, { train: 0.5, validation: 0.25, test: 0.25 }, 9);
    const file = path.join(tmp.dir, 'out', 'labels.csv');
    expect(await exportLabelsCsv(project, file)).toMatchObject({ rows: 10, labelled: 9 });
    const text = fs.readFileSync(file, 'utf8');
    expect(text.split('\r\n')[0]).toBe('path,label,split');
    expect(text).toContain('"odd, ""quoted"" class"');

    const other = makeProject(tmp, 'other');
    try {
      seedImageRows(other, 8);
      createClass(other, 'even');
      const result = await importLabelsCsv(other, file);
      expect(result).toMatchObject({ rows: 10, matched: 8, createdClasses: ['odd, "quoted" class'], invalidRows: [] });
      expect(result.unknownPaths).toEqual(['/seeded/img-000008.jpg', '/seeded/img-000009.jpg']);
      const expected = (labelRows(project) as { path: string; label: string | null; split: string | null }[])
        .slice(0, 8)
        .map((r) => ({ ...r, pinned: r.split ? 1 : null }));
      expect(labelRows(other)).toEqual(expected);
      // The whole import is one undoable step, classes it created included.
      expect(undo(other)?.kind).toBe('labels-import');
      expect(listClasses(other).map((c) => c.name)).toEqual(['even']);
    } finally {
      other.dispose();
    }
  });

  it('resolves relative paths from the CSV folder, clears labels given as empty, and lists bad rows', async () => {
    const ids = seedImageRows(project, 3);
    assignLabel(project, ids, createClass(project, 'x').classId);
    const file = path.join(tmp.dir, 'in.csv');
    fs.writeFileSync(
      file,
      ['path,label,split', '/seeded/img-000000.jpg,,', '../../seeded/img-000001.jpg,y,train', '/seeded/img-000002.jpg,z,holdout', ',a,'].join('\n'),
    );
    // tmp.dir is two levels below / on Linux (/tmp/graft-lib-…), so ../../seeded is /seeded.
    expect(path.resolve(tmp.dir, '../../seeded')).toBe('/seeded');
    const result = await importLabelsCsv(project, file);
    expect(result).toMatchObject({ matched: 2, labelsChanged: 2, splitsSet: 1, createdClasses: ['y'] });
    expect(result.invalidRows).toEqual([
      { line: 4, reason: 'unknown split "holdout" (use train, validation or test)' },
      { line: 5, reason: 'empty path' },
    ]);
    expect(labelRows(project).map((r) => (r as { label: string | null }).label)).toEqual([null, 'y', 'x']);
  });

  it('undoes and redoes the splits it pinned with the labels, leaving splits changed since alone', async () => {
    const ids = seedImageRows(project, 4);
    const cat = createClass(project, 'cat').classId;
    assignLabel(project, ids, cat);
    assignSplits(project, { train: 1, validation: 0, test: 0 }, 7);
    project.db.prepare('DELETE FROM splits WHERE image_id = ?').run(ids[0]);
    const splits = () =>
      project.db.prepare('SELECT image_id AS id, split, pinned, seed FROM splits ORDER BY image_id').all() as {
        id: number;
        split: string;
        pinned: number;
        seed: number | null;
      }[];
    const before = splits();
    const file = path.join(tmp.dir, 'splits.csv');
    fs.writeFileSync(
      file,
      ['path,label,split', '/seeded/img-000000.jpg,cat,test', '/seeded/img-000001.jpg,cat,validation', '/seeded/img-000002.jpg,cat,train', '/seeded/img-000003.jpg,cat,test'].join('\n'),
    );
    // Only splits: every label is already "cat".
    expect(await importLabelsCsv(project, file)).toMatchObject({ matched: 4, labelsChanged: 0, splitsSet: 4 });
    const after = splits();
    expect(after.map((s) => [s.split, s.pinned, s.seed])).toEqual([
      ['test', 1, null],
      ['validation', 1, null],
      ['train', 1, null],
      ['test', 1, null],
    ]);
    expect(undoState(project)).toMatchObject({ canUndo: true, undoSummary: 'import labels from splits.csv' });

    expect(undo(project)?.kind).toBe('labels-import');
    expect(splits()).toEqual(before);
    redo(project);
    expect(splits()).toEqual(after);

    // A split changed by hand after the import is the user's newer word: undo keeps it.
    unpinSplit(project, [ids[3]!]);
    undo(project);
    expect(splits()).toEqual([...before.slice(0, 2), { ...after[3]!, pinned: 0 }]);
  });

  it('refuses a CSV without the header it needs', async () => {
    const file = path.join(tmp.dir, 'bad.csv');
    fs.writeFileSync(file, 'file,class\na,b\n');
    await expect(importLabelsCsv(project, file)).rejects.toThrow(/"path" and "label"/);
    await expect(importLabelsCsv(project, path.join(tmp.dir, 'none.csv'))).rejects.toMatchObject({ code: 'not-found', message: /does not exist/ });
    await expect(importLabelsCsv(project, tmp.dir)).rejects.toMatchObject({ code: 'bad-request', message: /is a folder/ });
  });

  it('reads a CSV in pieces: multi-byte names and quoted line breaks across chunk boundaries', async () => {
    const ids = seedImageRows(project, 3);
    const file = path.join(tmp.dir, 'big.csv');
    // Padding rows push the real ones past the 1 MB read chunk, so they straddle a boundary.
    const padding = Array.from({ length: 40_000 }, (_, i) => `/elsewhere/${'p'.repeat(20)}-${i}.jpg,`);
    const label = 'ünïcødé "q", ✓';
    const broken = csvRow(['/elsewhere/two\nlines.jpg', 'x']);
    fs.writeFileSync(file, ['path,label', ...padding, broken, ...ids.map((_, i) => `/seeded/img-00000${i}.jpg,${csvRow([label])}`)].join('\r\n'));
    const result = await importLabelsCsv(project, file);
    expect(result).toMatchObject({ rows: 40_004, matched: 3, invalidRows: [], createdClasses: [label] });
    expect(result.unknownPaths).toHaveLength(40_001);
    expect(result.unknownPaths).toContain('/elsewhere/two\nlines.jpg');
  });

});

describe('ImageFolder export', () => {
  it('copies or links labelled photos into class folders, never over existing files', async () => {
    const root = path.join(tmp.dir, 'photos');
    for (const [rel, n] of [['a/x.jpg', 1], ['b/x.jpg', 2], ['b/y.png', 3], ['c/z.jpg', 4]] as const) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), await makeImage(rel.endsWith('png') ? 'png' : 'jpeg', n));
    }
    await importFolder(project, root);
    const ids = (project.db.prepare('SELECT id FROM images ORDER BY path').all() as { id: number }[]).map((r) => r.id);
    assignLabel(project, ids.slice(0, 2), createClass(project, 'cat/dog').classId);
    assignLabel(project, ids.slice(2, 3), createClass(project, 'bird').classId);

    const copy = await exportImageFolder(project, path.join(tmp.dir, 'copy'));
    expect(copy).toMatchObject({ exported: 3, cancelled: false });
    const listing = (dir: string) => fs.readdirSync(dir, { recursive: true }).map(String).sort();
    expect(listing(copy.dir)).toEqual(['bird', 'bird/y.png', 'cat_dog', 'cat_dog/x.jpg', `cat_dog/x-${ids[1]}.jpg`].sort());
    expect(fs.lstatSync(path.join(copy.dir, 'bird/y.png')).isFile()).toBe(true);

    const link = await exportImageFolder(project, path.join(tmp.dir, 'link'), { link: true });
    expect(fs.lstatSync(path.join(link.dir, 'bird/y.png')).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(path.join(link.dir, 'bird/y.png'))).toBe(path.join(root, 'b/y.png'));

    await expect(exportImageFolder(project, copy.dir)).rejects.toThrow(/not empty/);
    assignSplits(project, { train: 1, validation: 0, test: 0 }, 1);
    const bySplit = await exportImageFolder(project, path.join(tmp.dir, 'split'), { bySplit: true });
    expect(listing(bySplit.dir)).toContain('train/bird/y.png');
  });

  /** `count` labelled rows whose files exist (a few bytes each) under tmp/photos; `missing` more flagged missing. */
  function seedFiles(count: number, missing = 0): string {
    const root = path.join(tmp.dir, 'photos');
    fs.mkdirSync(root);
    const ids = seedImageRows(project, count + missing);
    project.db.prepare(`UPDATE images SET path = ? || '/' || file_name`).run(root);
    project.db.prepare(`UPDATE images SET missing = 1 WHERE id > ?`).run(ids[count - 1]);
    for (let i = 0; i < count; i++) fs.writeFileSync(path.join(root, `img-${String(i).padStart(6, '0')}.jpg`), `photo ${i}`);
    assignLabel(project, ids, createClass(project, 'cat').classId);
    return root;
  }

  it('reports progress from 0 to the files it writes, with a rate, writing a few at a time', async () => {
    seedFiles(30, 2);
    let inFlight = 0;
    let mostInFlight = 0;
    const io: ImageFolderIo = {
      ...nodeImageFolderIo,
      copy: async (source, file) => {
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1));
        await nodeImageFolderIo.copy(source, file);
        inFlight--;
      },
    };
    const events: ImageFolderProgress[] = [];
    const result = await exportImageFolder(project, path.join(tmp.dir, 'out'), {}, { onProgress: (p) => events.push(p) }, io);
    expect(result).toMatchObject({ exported: 30, cancelled: false });
    expect(result.skipped).toHaveLength(2);
    // Missing photos are left out of the total: it counts the files to write.
    expect(events[0]).toEqual({ done: 0, total: 30, imagesPerSecond: 0, etaSeconds: null });
    expect(events.at(-1)).toMatchObject({ done: 30, total: 30, etaSeconds: 0 });
    expect(events.at(-1)!.imagesPerSecond).toBeGreaterThan(0);
    expect(events.map((e) => e.done)).toEqual([...events.map((e) => e.done)].sort((a, b) => a - b));
    expect(mostInFlight).toBeGreaterThan(1);
    expect(mostInFlight).toBeLessThanOrEqual(8);
  });

  it('stops on cancel after the files in flight, keeping whole copies of what it wrote', async () => {
    const root = seedFiles(40);
    const controller = new AbortController();
    let copies = 0;
    const io: ImageFolderIo = {
      ...nodeImageFolderIo,
      copy: async (source, file) => {
        if (++copies === 5) controller.abort();
        await nodeImageFolderIo.copy(source, file);
      },
    };
    const events: ImageFolderProgress[] = [];
    const out = path.join(tmp.dir, 'out');
    const result = await exportImageFolder(project, out, {}, { signal: controller.signal, onProgress: (p) => events.push(p) }, io);
    expect(result.cancelled).toBe(true);
    expect(result.skipped).toEqual([]);
    // The writes already handed out finish; no new one starts.
    expect(result.exported).toBe(copies);
    expect(copies).toBeGreaterThanOrEqual(5);
    expect(copies).toBeLessThan(40);
    const written = fs.readdirSync(path.join(out, 'cat'));
    expect(written).toHaveLength(result.exported);
    for (const name of written) expect(fs.readFileSync(path.join(out, 'cat', name))).toEqual(fs.readFileSync(path.join(root, name)));
    expect(events.at(-1)).toMatchObject({ done: copies, total: 40, etaSeconds: null });

    const before = await exportImageFolder(project, path.join(tmp.dir, 'never'), {}, { signal: AbortSignal.abort() });
    expect(before).toMatchObject({ exported: 0, cancelled: true, skipped: [] });
    expect(fs.existsSync(path.join(tmp.dir, 'never'))).toBe(false);
  });

  it('lists a file it cannot write and goes on with the others', async () => {
    seedFiles(4);
    const io: ImageFolderIo = {
      ...nodeImageFolderIo,
      link: (source, file) => (source.endsWith('img-000001.jpg') ? Promise.reject(new Error('EACCES: permission denied')) : nodeImageFolderIo.link(source, file)),
    };
    const result = await exportImageFolder(project, path.join(tmp.dir, 'out'), { link: true }, {}, io);
    expect(result).toMatchObject({ exported: 3, cancelled: false });
    expect(result.skipped).toEqual([{ path: path.join(tmp.dir, 'photos', 'img-000001.jpg'), reason: 'cannot link: EACCES: permission denied' }]);
  });
});
