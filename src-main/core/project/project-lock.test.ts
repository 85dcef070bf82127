import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanUp, makeTempDir, type TempDir } from '../library/library-fixtures';
import { createProject, type Project } from './project';
import type { ProcessProbe } from '../../base/process-alive';
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

  describe('where start times cannot be read (macOS, Windows)', () => {
    // The owner's pid runs, but nothing says whether it is still the process that took the lock.
    const noStartTimes: ProcessProbe = { alive: () => true, startTime: () => null };
    const old = { pid: 4242, since: '2024-03-01T08:15:30.000Z', started: null };

    it('keep the lock of a running pid, however old, and name its pid and since when it is held', () => {
      plant(old);
      const owner = projectLockOwner(project.db, 'import', noStartTimes);
      expect(owner).toMatchObject({ pid: 4242 });
      expect(takeProjectLock(project.db, 'import', null, noStartTimes)).toEqual({ heldBy: expect.objectContaining({ pid: 4242 }) });
      expect(describeOwner(owner!, noStartTimes)).toBe(
        'pid 4242, holding it since 2024-03-01 08:15 UTC; this system cannot tell whether pid 4242 is still that Graft process — ' +
          'if it is another program now, the lock is left over and frees itself when pid 4242 ends (or after a restart)',
      );
    });

    it('still take over the lock of a pid that no longer runs', () => {
      plant(old);
      const dead: ProcessProbe = { alive: () => false, startTime: () => null };
      expect(projectLockOwner(project.db, 'import', dead)).toBeNull();
      expect(takeProjectLock(project.db, 'import', null, dead)).toHaveProperty('release');
    });

    it('name a verified owner (Linux, same start time) by its pid alone', () => {
      plant({ ...old, started: '77' });
      const linux: ProcessProbe = { alive: () => true, startTime: () => '77' };
      expect(describeOwner(projectLockOwner(project.db, 'import', linux)!, linux)).toBe('pid 4242');
    });
  });
});
