/**
 * Imports from several processes into one project (two `graft import` runs, CLI and serve):
 * one at a time through the project's lock, each photo kept once whatever the timing, and
 * byte-identical rows that slipped in earlier merged by the next import.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { runBounded, type BoundedOutcome } from '../../base/test-support/bounded-child';
import type { Project } from '../project/project';
import { projectLockOwner } from '../project/project-lock';
import { createClass } from './classes';
import { importFolder } from './import-folder';
import { assignLabel } from './labels';
import { makeImage } from './library-fixtures';
import { useProjectFixture } from './test-support/project-fixture';
import type { ImportOutcome } from './test-support/import-scenarios';

const scenarios = path.join(path.dirname(fileURLToPath(import.meta.url)), 'test-support', 'import-scenarios.ts');
const bounds = { rssMb: 1000, timeoutMs: 60_000 };

const fixture = useProjectFixture('graft-processes-');
const PER_FOLDER = 60;
let project: Project;
let projectDir: string;
let photos: string;

beforeEach(async () => {
  ({ project, projectDir, photos } = fixture);
  // a/ and b/ hold the same photos under the same names; c/ holds photos of its own.
  for (const sub of ['a', 'b', 'c']) fs.mkdirSync(path.join(photos, sub), { recursive: true });
  for (let i = 0; i < PER_FOLDER; i++) {
    const bytes = await makeImage('png', i + 1);
    fs.writeFileSync(path.join(photos, 'a', `p${i}.png`), bytes);
    fs.writeFileSync(path.join(photos, 'b', `p${i}.png`), bytes);
    fs.writeFileSync(path.join(photos, 'c', `q${i}.png`), await makeImage('png', 100 + i));
  }
});

const rows = () => project.db.prepare('SELECT path, content_hash AS hash FROM images ORDER BY path').all() as { path: string; hash: string }[];
const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function returned(outcome: BoundedOutcome): ImportOutcome {
  expect(outcome).toMatchObject({ status: 'returned' });
  return (outcome as { value: ImportOutcome }).value;
}

/** Each distinct photo once, and every file either a row or a reported duplicate. */
function expectEachPhotoOnce(outcomes: ImportOutcome[], filesWalked: number): void {
  const all = rows();
  const hashes = all.map((r) => r.hash);
  expect(new Set(hashes).size).toBe(hashes.length);
  expect(all).toHaveLength(2 * PER_FOLDER);
  const reported = outcomes.flatMap((o) => o.duplicates);
  // Each duplicate names a file whose bytes are a row's.
  for (const d of reported) expect(hashes).toContain(sha(d.path));
  const added = outcomes.reduce((n, o) => n + o.added, 0);
  const unchanged = outcomes.reduce((n, o) => n + o.unchanged, 0);
  expect(added + unchanged + reported.length).toBe(filesWalked);
  // Within one import a file is reported once; two imports that both walk a folder after the
  // other committed its twin's row may each report it (no lock: neither knows of the other).
  for (const o of outcomes) expect(new Set(o.duplicates.map((d) => d.path)).size).toBe(o.duplicates.length);
}

describe('imports from two processes into one project', () => {
  it('keep each photo once even without the lock (an older Graft): overlapping folders, interleaved commits', async () => {
    const outcomes = (
      await Promise.all([
        runBounded(scenarios, 'importInto', [projectDir, photos, { withoutLock: true }], bounds),
        runBounded(scenarios, 'importInto', [projectDir, path.join(photos, 'b'), { withoutLock: true }], bounds),
      ])
    ).map(returned);
    expectEachPhotoOnce(outcomes, 4 * PER_FOLDER);
  }, 120_000);

  it('take turns through the lock with --wait, and the second reports every duplicate', async () => {
    const outcomes = (
      await Promise.all([
        runBounded(scenarios, 'importInto', [projectDir, path.join(photos, 'a'), { wait: true }], bounds),
        runBounded(scenarios, 'importInto', [projectDir, photos, { wait: true }], bounds),
      ])
    ).map(returned);
    expect(outcomes.filter((o) => o.waited).length).toBeLessThanOrEqual(1);
    expectEachPhotoOnce(outcomes, 4 * PER_FOLDER);
    expect(projectLockOwner(project.db, 'import')).toBeNull();
  }, 120_000);

  it('refuses a second import while another process holds the project, naming its pid', async () => {
    const holder = runBounded(scenarios, 'holdImportLock', [projectDir, 3_000], bounds);
    const end = Date.now() + 20_000;
    while (!projectLockOwner(project.db, 'import') && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    const owner = projectLockOwner(project.db, 'import');
    expect(owner).not.toBeNull();
    await expect(importFolder(project, photos)).rejects.toMatchObject({
      code: 'bad-request',
      message: `An import is already running on this project (pid ${owner!.pid}). Wait for it to finish or cancel it, then import again.`,
    });
    expect(returned(await holder)).toBe(owner!.pid);
    // Released by its owner: the next import runs.
    expect((await importFolder(project, path.join(photos, 'c'))).added).toBe(PER_FOLDER);
  }, 120_000);

  it('takes over the lock of a process that died holding it', async () => {
    const killed = await runBounded(scenarios, 'holdImportLock', [projectDir, 60_000], { ...bounds, timeoutMs: 4_000 });
    expect(killed.status).toBe('timeout');
    expect(project.db.prepare("SELECT COUNT(*) AS n FROM project_meta WHERE key = 'lock:import'").get()).toEqual({ n: 1 });
    expect(projectLockOwner(project.db, 'import')).toBeNull();
    expect((await importFolder(project, path.join(photos, 'c'))).added).toBe(PER_FOLDER);
  }, 60_000);
});

describe('a re-import', () => {
  it('merges byte-identical rows that slipped in, keeping the oldest and its label (or taking the extra one)', async () => {
    const first = await importFolder(project, path.join(photos, 'a'));
    expect(first.added).toBe(PER_FOLDER);
    // What two unlocked imports used to leave: b/p0 and b/p1 as rows of their own, one labelled.
    const copy = (name: string) => {
      const stats = fs.statSync(path.join(photos, 'b', name));
      project.db
        .prepare(
          `INSERT INTO images (path, file_name, size, mtime_ms, width, height, content_hash, format, added_at)
           SELECT ?, file_name, ?, ?, width, height, content_hash, format, added_at FROM images WHERE path = ?`,
        )
        .run(path.join(photos, 'b', name), stats.size, Math.floor(stats.mtimeMs), path.join(photos, 'a', name));
      return (project.db.prepare('SELECT id FROM images WHERE path = ?').get(path.join(photos, 'b', name)) as { id: number }).id;
    };
    const extra0 = copy('p0.png');
    copy('p1.png');
    assignLabel(project, [extra0], createClass(project, 'cats').classId);

    const again = await importFolder(project, photos);
    expect(again.duplicates).toEqual(
      expect.arrayContaining([
        { path: path.join(photos, 'b', 'p0.png'), duplicateOf: path.join(photos, 'a', 'p0.png') },
        { path: path.join(photos, 'b', 'p1.png'), duplicateOf: path.join(photos, 'a', 'p1.png') },
      ]),
    );
    expect(again.duplicates).toHaveLength(PER_FOLDER);
    expect(again).toMatchObject({ added: PER_FOLDER, unchanged: PER_FOLDER });
    expect(rows().filter((r) => r.path.includes(`${path.sep}b${path.sep}`))).toEqual([]);
    const label = project.db
      .prepare('SELECT c.name FROM images i JOIN labels l ON l.image_id = i.id JOIN classes c ON c.id = l.class_id WHERE i.path = ?')
      .get(path.join(photos, 'a', 'p0.png'));
    expect(label).toEqual({ name: 'cats' });
  });
});
