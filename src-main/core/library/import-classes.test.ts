/**
 * Folder imports create and fill classes outside the undo journal: class edits made while an
 * import runs, and undo of edits made before it, must not lose or break its labels.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Project } from '../project/project';
import { createClass, deleteClass, listClasses, mergeClasses } from './classes';
import { importFolder } from './import-folder';
import { nodeImportFileIo } from './import-file';
import { redo, undo, undoState } from './label-journal';
import { exportLabelsCsv, importLabelsCsv } from './labels-csv';
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

/** Writes `count` distinct PNGs into `root/<folder>`. */
async function writePhotos(folder: string, count: number, first = 0): Promise<void> {
  fs.mkdirSync(path.join(root, folder), { recursive: true });
  for (let i = 0; i < count; i++) {
    fs.writeFileSync(path.join(root, folder, `p${first + i}.png`), await makeImage('png', first + i));
  }
}

const counts = () => Object.fromEntries(listClasses(project).map((c) => [c.name, c.imageCount]));
const classId = (name: string) => listClasses(project).find((c) => c.name === name)!.id;

describe('undo and redo next to folder imports', () => {
  it('refuses to undo "create class" while an import has labelled photos with it, and changes nothing', async () => {
    createClass(project, 'dogs');
    await writePhotos('dogs', 3);
    expect((await importFolder(project, root, { labelsFromSubfolders: true })).classes).toEqual({ dogs: 3 });
    expect(counts()).toEqual({ dogs: 3 });

    expect(() => undo(project)).toThrow(expect.objectContaining({ code: 'bad-request', message: expect.stringMatching(/"dogs".*3 images.*import/) }));
    expect(counts()).toEqual({ dogs: 3 });
    expect(undoState(project)).toMatchObject({ canUndo: true, canRedo: false, undoSummary: 'create class "dogs"' });
  });

  it('refuses to redo a delete or a merge when an import has labelled photos with the class since', async () => {
    createClass(project, 'cats');
    const target = createClass(project, 'pets').classId;
    deleteClass(project, classId('cats'));
    undo(project);
    await writePhotos('cats', 2);
    await importFolder(project, root, { labelsFromSubfolders: true });
    expect(() => redo(project)).toThrow(/"cats".*2 images.*import/);
    expect(counts()).toEqual({ cats: 2, pets: 0 });

    // A merge moves the labels it recorded; the ones an import added after its undo stay in the way.
    undo(project); // create "pets"
    redo(project);
    mergeClasses(project, [classId('cats')], target);
    expect(counts()).toEqual({ pets: 2 });
    undo(project);
    await writePhotos('cats', 1, 10);
    await importFolder(project, root, { labelsFromSubfolders: true });
    expect(() => redo(project)).toThrow(/"cats".*1 image .*import/);
    expect(counts()).toEqual({ cats: 3, pets: 0 });
  });
});

describe('class edits while a folder import runs', () => {
  it('keeps importing when the class it fills is deleted or merged away mid-import', async () => {
    await writePhotos('dogs', 6);
    const other = createClass(project, 'other').classId;
    let reads = 0;
    const summary = await importFolder(
      project,
      root,
      { labelsFromSubfolders: true, batchSize: 1, concurrency: 1 },
      {},
      {
        file: {
          stat: nodeImportFileIo.stat,
          readFile: (file, signal) => {
            reads++;
            // Between batches, as the UI would on another request.
            if (reads === 3) deleteClass(project, classId('dogs'));
            if (reads === 5) mergeClasses(project, [classId('dogs')], other);
            return nodeImportFileIo.readFile(file, signal);
          },
        },
      },
    );
    expect(summary).toMatchObject({ added: 6, cancelled: false });
    expect(project.db.pragma('foreign_key_check')).toEqual([]);
    // Photos imported after each edit got a fresh "dogs" class again.
    expect(counts()).toEqual({ other: 2, dogs: 2 });
    expect(project.db.prepare('SELECT status FROM import_runs').get()).toEqual({ status: 'done' });
  });
});

describe('class names from folder names', () => {
  it('tidies folder names into valid class names, so a labels CSV round-trips them', async () => {
    const long = 'x'.repeat(150);
    await writePhotos(' padded\tname ', 1, 0);
    await writePhotos(long, 1, 1);
    await writePhotos('\u0001\u0002 ', 1, 2);
    const summary = await importFolder(project, root, { labelsFromSubfolders: true });
    expect(summary).toMatchObject({ added: 3 });
    expect(summary.classes).toEqual({ paddedname: 1, ['x'.repeat(100)]: 1 });
    expect(counts()).toEqual({ paddedname: 1, ['x'.repeat(100)]: 1 });

    const file = path.join(tmp.dir, 'labels.csv');
    await exportLabelsCsv(project, file);
    const copy = makeProject(tmp, 'copy');
    try {
      await importFolder(copy, root);
      const result = await importLabelsCsv(copy, file);
      expect(result).toMatchObject({ matched: 3, labelsChanged: 2, invalidRows: [] });
      expect(result.createdClasses.sort()).toEqual(['paddedname', 'x'.repeat(100)]);
    } finally {
      copy.dispose();
    }
  });
});
