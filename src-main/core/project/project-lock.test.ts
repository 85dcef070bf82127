import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanUp, makeTempDir, type TempDir } from '../library/library-fixtures';
import { createProject, type Project } from './project';
import { describeOwner, projectLockOwner, takeProjectLock, type LockOwner } from './project-lock';

let tmp: TempDir;
let project: Project;
beforeEach(() => {
  tmp = makeTempDir();
  project = createProject(path.join(tmp.dir, 'p'));
});
afterEach(() => cleanUp(tmp, project));

const plant = (owner: Partial<LockOwner>) =>
  project.db
    .prepare("INSERT OR REPLACE INTO project_meta (key, value) VALUES ('lock:import', ?)")
    .run(JSON.stringify({ pid: process.pid, host: os.hostname(), since: '', started: null, detail: null, token: 'x', ...owner }));

describe('project locks', () => {
  it('are held once, by anyone in any process, until released', () => {
    const held = takeProjectLock(project.db, 'import', 'detail');
    expect('release' in held).toBe(true);
    expect(takeProjectLock(project.db, 'import')).toEqual({ heldBy: expect.objectContaining({ pid: process.pid, detail: 'detail' }) });
    expect(takeProjectLock(project.db, 'serve')).toHaveProperty('release');
    (held as { release(): void }).release();
    expect(projectLockOwner(project.db, 'import')).toBeNull();
    expect(takeProjectLock(project.db, 'import')).toHaveProperty('release');
  });

  it('are taken over from a dead owner, or from a stranger that reused its pid', () => {
    plant({ pid: 2 ** 22 + 12_345 });
    expect(projectLockOwner(project.db, 'import')).toBeNull();
    // This very process, but the lock says it was started at another time: a reused pid.
    plant({ started: 'another start' });
    expect(projectLockOwner(project.db, 'import')).toBeNull();
    plant({});
    expect(projectLockOwner(project.db, 'import')).toMatchObject({ pid: process.pid });
  });

  it('trust an owner on another machine, and name it', () => {
    plant({ host: 'elsewhere', pid: 1 });
    const owner = projectLockOwner(project.db, 'import');
    expect(owner && describeOwner(owner)).toBe('pid 1 on elsewhere');
  });

  it('release only their own row', () => {
    const held = takeProjectLock(project.db, 'import') as { release(): void };
    plant({ token: 'someone else' });
    held.release();
    expect(projectLockOwner(project.db, 'import')).toMatchObject({ token: 'someone else' });
  });
});
