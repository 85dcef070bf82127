/**
 * Relinking by content while files are read concurrently: a copy of a photo must never take
 * over the row of a file that is still there, whatever order the reads finish in.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Project } from '../project/project';
import { importFolder } from './import-folder';
import { nodeImportFileIo, type ImportFileIo } from './import-file';
import { cleanUp, makeImage, makeProject, makeTempDir, type TempDir } from './library-fixtures';

let tmp: TempDir;
let project: Project;
let root: string;

beforeEach(async () => {
  tmp = makeTempDir();
  root = path.join(tmp.dir, 'photos');
  fs.mkdirSync(path.join(root, 'backup'), { recursive: true });
  fs.writeFileSync(path.join(root, 'a.png'), await makeImage('png', 1));
  project = makeProject(tmp);
});

afterEach(() => cleanUp(tmp, project));

interface Row {
  id: number;
  path: string;
  size: number;
  content_hash: string;
}
const rows = () => project.db.prepare('SELECT id, path, size, content_hash FROM images ORDER BY path').all() as Row[];
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Every row names a file that holds exactly the bytes the row says. */
function expectRowsMatchDisk(): void {
  for (const row of rows()) {
    expect(fs.existsSync(row.path), row.path).toBe(true);
    expect({ path: row.path, hash: sha256(row.path), size: fs.statSync(row.path).size }).toEqual({
      path: row.path,
      hash: row.content_hash,
      size: row.size,
    });
  }
}

/**
 * File access where `a.png` is slow: its read starts first but only finishes after the read of
 * `backup/a.png` has finished and that file has been hashed and matched.
 */
function slowOriginalIo(): ImportFileIo {
  let originalStarted!: () => void;
  const started = new Promise<void>((resolve) => (originalStarted = resolve));
  let copyRead!: () => void;
  const copyDone = new Promise<void>((resolve) => (copyRead = resolve));
  return {
    stat: nodeImportFileIo.stat,
    async readFile(file, signal) {
      if (file === path.join(root, 'a.png')) {
        originalStarted();
        await copyDone;
        // The copy's hash and claim run in the microtasks after its read; let them finish.
        await new Promise((resolve) => setImmediate(resolve));
      } else if (file === path.join(root, 'backup', 'a.png')) {
        await started;
        const bytes = await nodeImportFileIo.readFile(file, signal);
        copyRead();
        return bytes;
      }
      return nodeImportFileIo.readFile(file, signal);
    },
  };
}

describe('relinking during a concurrent re-import', () => {
  it('does not move the row of a file edited in place to its backup copy while the file is read', async () => {
    await importFolder(project, root);
    const [original] = rows();
    fs.copyFileSync(path.join(root, 'a.png'), path.join(root, 'backup', 'a.png'));
    fs.writeFileSync(path.join(root, 'a.png'), await makeImage('png', 2, 80, 60));

    const summary = await importFolder(project, root, { concurrency: 2 }, {}, { file: slowOriginalIo() });

    expectRowsMatchDisk();
    expect(rows().map((r) => r.path)).toEqual([path.join(root, 'a.png'), path.join(root, 'backup', 'a.png')]);
    // The copy holds the old bytes, so it takes the old row (and its label); the edited file is new.
    expect(rows().find((r) => r.id === original!.id)?.path).toBe(path.join(root, 'backup', 'a.png'));
    expect(summary).toMatchObject({ added: 1, relinked: 1, updated: 0, unchanged: 0, duplicates: [] });
  });

  it('treats a copy of a file whose timestamp changed as a duplicate, not as the file moved', async () => {
    await importFolder(project, root);
    const [original] = rows();
    fs.copyFileSync(path.join(root, 'a.png'), path.join(root, 'backup', 'a.png'));
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(root, 'a.png'), later, later);

    // One at a time and one batch: a.png's refresh is still uncommitted when the copy is matched.
    const summary = await importFolder(project, root, { concurrency: 1, batchSize: 100 });

    expectRowsMatchDisk();
    expect(rows()).toEqual([{ ...original, path: path.join(root, 'a.png') }]);
    expect(summary).toMatchObject({ added: 0, relinked: 0, unchanged: 1 });
    expect(summary.duplicates).toEqual([{ path: path.join(root, 'backup', 'a.png'), duplicateOf: path.join(root, 'a.png') }]);
  });
});
