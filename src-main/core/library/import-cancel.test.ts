import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Project } from '../project/project';
import { importFolder } from './import-folder';
import { nodeImportFileIo } from './import-file';
import { cleanUp, makeImage, makeProject, makeTempDir, type TempDir } from './library-fixtures';

let tmp: TempDir;
let project: Project;
let root: string;
const COUNT = 240;

beforeEach(async () => {
  tmp = makeTempDir();
  root = path.join(tmp.dir, 'many');
  const base = await makeImage('jpeg', 1, 32, 24);
  for (let i = 0; i < COUNT; i++) {
    const dir = path.join(root, i % 2 ? 'odd' : 'even');
    fs.mkdirSync(dir, { recursive: true });
    // A JPEG with a different trailing comment byte run: decodes the same, hashes differently.
    fs.writeFileSync(path.join(dir, `p${String(i).padStart(4, '0')}.jpg`), Buffer.concat([base, Buffer.from(`#${i}`)]));
  }
  project = makeProject(tmp);
});

afterEach(() => cleanUp(tmp, project));

describe('cancelling an import', () => {
  it('stops early, keeps what it committed complete, and a re-import finishes the rest', async () => {
    const controller = new AbortController();
    let reads = 0;
    const phases: string[] = [];
    const summary = await importFolder(
      project,
      root,
      { labelsFromSubfolders: true, batchSize: 16, concurrency: 2 },
      { signal: controller.signal, onProgress: (p) => phases.push(p.phase) },
      {
        file: {
          stat: nodeImportFileIo.stat,
          readFile: (file, signal) => {
            if (++reads === 80) controller.abort();
            return nodeImportFileIo.readFile(file, signal);
          },
        },
      },
    );
    expect(summary.cancelled).toBe(true);
    expect(phases.at(-1)).toBe('cancelled');
    expect(summary.added).toBeGreaterThan(0);
    expect(summary.added).toBeLessThan(COUNT);

    const db = project.db;
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const imageCount = (db.prepare('SELECT COUNT(*) AS n FROM images').get() as { n: number }).n;
    expect(imageCount).toBe(summary.added);
    // Each committed photo came with its folder label in the same transaction.
    expect((db.prepare('SELECT COUNT(*) AS n FROM labels').get() as { n: number }).n).toBe(imageCount);
    expect(db.prepare('SELECT status FROM import_runs').get()).toEqual({ status: 'cancelled' });
    // A cancelled walk does not know what is gone, so nothing is flagged missing.
    expect((db.prepare('SELECT COUNT(*) AS n FROM images WHERE missing = 1').get() as { n: number }).n).toBe(0);

    const rest = await importFolder(project, root, { labelsFromSubfolders: true });
    expect(rest).toMatchObject({ cancelled: false, unchanged: summary.added, added: COUNT - summary.added });
    expect(rest.classes).toEqual({ even: COUNT / 2, odd: COUNT / 2 });
  });

  it('marks a run left "running" by a crash as failed when the next import starts', async () => {
    project.db.prepare("INSERT INTO import_runs (folder, started_at, status) VALUES ('/x', 'then', 'running')").run();
    await importFolder(project, root);
    expect(project.db.prepare('SELECT status FROM import_runs ORDER BY id').all()).toEqual([{ status: 'failed' }, { status: 'done' }]);
  });
});
