import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { processStartTime, type ProcessProbe } from '../../base/process-alive';
import { smallConfig } from '../../engine/training/test-support/train-fixtures';
import { cleanUp, makeProject, makeTempDir, type TempDir } from '../library/library-fixtures';
import type { Project } from '../project/project';
import { createRun, failRun, getRun, markInterruptedRuns, reopenRun } from './run-store';

let tmp: TempDir;
let project: Project;

beforeEach(() => {
  tmp = makeTempDir('graft-run-store-');
  project = makeProject(tmp);
});
afterEach(() => cleanUp(tmp, project));

const newRun = () => createRun(project, smallConfig(), { classes: ['cat', 'dog'], images: [] }).runId;
const owner = (runId: number) =>
  project.db.prepare('SELECT owner_pid AS pid, owner_started AS started FROM training_runs WHERE id = ?').get(runId) as { pid: number; started: string | null };
const setOwner = (runId: number, pid: number, started: string | null) =>
  project.db.prepare('UPDATE training_runs SET owner_pid = ?, owner_started = ? WHERE id = ?').run(pid, started, runId);

describe('markInterruptedRuns', () => {
  it('records the owner with its start time when a run starts or resumes', () => {
    const runId = newRun();
    expect(owner(runId)).toEqual({ pid: process.pid, started: processStartTime(process.pid) });
    failRun(project, runId, 'failed', 'test');
    setOwner(runId, 1, null);
    reopenRun(project, runId);
    expect(owner(runId)).toEqual({ pid: process.pid, started: processStartTime(process.pid) });
  });

  it.skipIf(!fs.existsSync(`/proc/${process.pid}/stat`))('fails a run whose pid now belongs to a process started at another time (Linux)', () => {
    const mine = newRun();
    const reused = newRun();
    // This process's pid, as a dead owner's pid would be once the system gave it out again.
    setOwner(reused, process.pid, `${processStartTime(process.pid)}1`);
    expect(markInterruptedRuns(project)).toBe(1);
    expect(getRun(project, reused).status).toBe('failed');
    expect(getRun(project, reused).error).toMatch(/^Interrupted: .* Resume it/);
    expect(getRun(project, mine).status).toBe('running');
  });

  it('tells the owner apart by its start time wherever the system can read one, and by pid where it cannot', () => {
    const runs = { gone: newRun(), reused: newRun(), alive: newRun(), unverifiable: newRun(), recordedNone: newRun() };
    setOwner(runs.gone, 101, '500');
    setOwner(runs.reused, 102, '500');
    setOwner(runs.alive, 103, '500');
    setOwner(runs.unverifiable, 104, '500');
    setOwner(runs.recordedNone, 105, null);
    const probe: ProcessProbe = {
      alive: (pid) => pid !== 101,
      // 102 runs again, started later; 104 is on a system without start times (macOS, Windows).
      startTime: (pid) => ({ 102: '900', 103: '500', 105: '500' })[pid] ?? null,
    };
    expect(markInterruptedRuns(project, probe)).toBe(2);
    const status = (runId: number) => getRun(project, runId).status;
    expect([status(runs.gone), status(runs.reused)]).toEqual(['failed', 'failed']);
    // A running pid whose start cannot be compared keeps its run: never fail a run that may be training.
    expect([status(runs.alive), status(runs.unverifiable), status(runs.recordedNone)]).toEqual(['running', 'running', 'running']);
  });
});
