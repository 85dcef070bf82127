import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClass, deleteClass, renameClass } from '../library/classes';
import { assignLabel } from '../library/labels';
import { cleanUp, makeProject, makeTempDir, seedImageRows, type TempDir } from '../library/library-fixtures';
import { pinSplit } from '../library/splits';
import { resolveModelRef } from '../predict/model-ref';
import type { Project } from '../project/project';
import { smallConfig } from '../../engine/training/test-support/train-fixtures';
import { readDataset } from './dataset-snapshot';
import { runClasses } from './run-classes';
import { createRun, getRun } from './run-store';
import { resolveStartFrom } from './start-from';

let tmp: TempDir;
let project: Project;
let cat: number;
let dog: number;
let bird: number;
let runId: number;

/** Starts a run on the dataset as it is now (as `training.start` records one), with a best checkpoint. */
function startRun(): number {
  const { snapshot } = readDataset(project);
  const id = createRun(project, smallConfig(), snapshot, 'Pets').runId;
  project.db.prepare(`UPDATE training_runs SET status = 'completed', checkpoint_best = 'checkpoints/best' WHERE id = ?`).run(id);
  return id;
}

beforeEach(() => {
  tmp = makeTempDir();
  project = makeProject(tmp);
  const ids = seedImageRows(project, 6, 'photo');
  cat = createClass(project, 'cat').classId;
  dog = createClass(project, 'dog').classId;
  bird = createClass(project, 'bird').classId;
  assignLabel(project, ids.slice(0, 2), cat);
  assignLabel(project, ids.slice(2, 4), dog);
  assignLabel(project, ids.slice(4, 6), bird);
  pinSplit(project, [ids[0]!, ids[2]!, ids[4]!], 'train');
  pinSplit(project, [ids[1]!, ids[3]!, ids[5]!], 'validation');
  runId = startRun();
});

afterEach(() => cleanUp(tmp, project));

const startFromClasses = () => resolveStartFrom(project, { kind: 'run', runId, checkpoint: 'best' }).classes;

describe("a run's classes in the project", () => {
  it('are recorded with their ids when the run starts; the run itself keeps the names it trained with', () => {
    expect(JSON.parse((project.db.prepare('SELECT class_ids FROM training_runs WHERE id = ?').get(runId) as { class_ids: string }).class_ids)).toEqual([cat, dog, bird]);
    renameClass(project, dog, 'puppy');
    expect(runClasses(project, runId)).toEqual([
      { runName: 'cat', classId: cat, name: 'cat' },
      { runName: 'dog', classId: dog, name: 'puppy' },
      { runName: 'bird', classId: bird, name: 'bird' },
    ]);
    expect(getRun(project, runId).classes).toEqual(['cat', 'dog', 'bird']);
  });

  it('start a new run with the renamed class’s classifier column: named as the new dataset names it', () => {
    renameClass(project, dog, 'puppy');
    const classes = startFromClasses();
    expect(classes).toEqual(['cat', 'puppy', 'bird']);
    // The engine carries the classifier class by class by name: every class of the new dataset is found.
    expect(readDataset(project).snapshot.classes.map((c) => classes.indexOf(c))).toEqual([0, 1, 2]);
  });

  it('label predictions with the project’s names now (the checkpoint the engine opens is the run’s)', () => {
    renameClass(project, cat, 'kitten');
    const source = resolveModelRef({ runId }, () => project);
    expect(source).toMatchObject({ kind: 'checkpoint', checkpoint: 'best', classes: ['kitten', 'dog', 'bird'] });
  });

  it('fall back to names for a run without ids, and never match a class that took a deleted class’s name', () => {
    project.db.prepare('UPDATE training_runs SET class_ids = NULL WHERE id = ?').run(runId);
    expect(startFromClasses()).toEqual(['cat', 'dog', 'bird']);
    renameClass(project, dog, 'puppy');
    expect(startFromClasses()).toEqual(['cat', 'dog', 'bird']);
    expect(runClasses(project, runId)[1]).toEqual({ runName: 'dog', classId: null, name: 'dog' });

    const withIds = startRun();
    deleteClass(project, cat);
    renameClass(project, bird, 'cat');
    expect(runClasses(project, withIds)).toEqual([
      { runName: 'cat', classId: null, name: null },
      { runName: 'puppy', classId: dog, name: 'puppy' },
      { runName: 'bird', classId: bird, name: 'cat' },
    ]);
    expect(resolveStartFrom(project, { kind: 'run', runId: withIds, checkpoint: 'best' }).classes).toEqual([null, 'puppy', 'cat']);
    expect(resolveModelRef({ runId: withIds }, () => project)).toMatchObject({ classes: ['cat (deleted)', 'puppy', 'cat'] });
  });
});
