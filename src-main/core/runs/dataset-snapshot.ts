import { GraftError } from '../../api/errors';
import type { SplitName } from '../../api/types/library';
import type { DatasetSnapshot, RunImage } from '../../api/types/runs';
import type { Project } from '../project/project';

interface Row {
  imageId: number;
  contentHash: string;
  path: string;
  className: string;
  classId: number;
  split: SplitName | null;
}

/** What a dataset lacks for training, each with what to do about it. */
export interface DatasetProblem {
  code: 'too-few-classes' | 'no-splits' | 'empty-validation' | 'class-without-training-images';
  message: string;
  /** The classes concerned, when the problem is about some. */
  classes?: string[];
}

/**
 * The images a run trains on, frozen now: every labelled image that is present and has a
 * split, with its content hash, class (by the classes' sidebar order) and split. Classes
 * with no labelled image are left out of the run's class list. The classes' ids come along, so
 * the run can record which project classes its class names were.
 */
export function readDataset(project: Project): { snapshot: DatasetSnapshot; unsplit: number } {
  const rows = project.db
    .prepare(
      `SELECT i.id AS imageId, i.content_hash AS contentHash, i.path AS path, c.name AS className, c.id AS classId, s.split AS split
         FROM labels l
         JOIN images i ON i.id = l.image_id
         JOIN classes c ON c.id = l.class_id
         LEFT JOIN splits s ON s.image_id = i.id
        WHERE i.missing = 0
        ORDER BY c.sort_order, c.id, i.id`,
    )
    .all() as Row[];
  const classes: string[] = [];
  const classIds: number[] = [];
  const index = new Map<string, number>();
  const images: RunImage[] = [];
  let unsplit = 0;
  for (const row of rows) {
    if (!row.split) {
      unsplit++;
      continue;
    }
    let label = index.get(row.className);
    if (label === undefined) {
      label = classes.length;
      classes.push(row.className);
      classIds.push(row.classId);
      index.set(row.className, label);
    }
    images.push({ imageId: row.imageId, contentHash: row.contentHash, path: row.path, label, split: row.split });
  }
  return { snapshot: { classes, classIds, images }, unsplit };
}

/** The problems that stop a dataset from training: at least two classes with training images, a validation split, every class in training. */
export function datasetProblems(snapshot: DatasetSnapshot, unsplit: number): DatasetProblem[] {
  const problems: DatasetProblem[] = [];
  const train = new Array<number>(snapshot.classes.length).fill(0);
  let validation = 0;
  for (const image of snapshot.images) {
    if (image.split === 'train') train[image.label]! += 1;
    if (image.split === 'validation') validation += 1;
  }
  if (snapshot.images.length === 0 && unsplit > 0) {
    problems.push({ code: 'no-splits', message: `None of the ${unsplit} labelled images has a split. Assign train/validation/test splits first (Library → Splits, or graft splits).` });
    return problems;
  }
  const withTraining = train.filter((n) => n > 0).length;
  if (withTraining < 2) {
    problems.push({
      code: 'too-few-classes',
      message: `Training needs at least two classes with labelled training images; this project has ${withTraining}. Label more photos (Label view).`,
    });
  }
  const missing = snapshot.classes.filter((_, i) => train[i] === 0);
  if (missing.length > 0 && withTraining >= 2) {
    problems.push({
      code: 'class-without-training-images',
      classes: missing,
      message: `${missing.map((c) => `"${c}"`).join(', ')} ${missing.length === 1 ? 'has' : 'have'} no training image. Label more photos of ${missing.length === 1 ? 'it' : 'them'}, or assign splits again.`,
    });
  }
  if (validation === 0 && snapshot.images.length > 0) {
    problems.push({ code: 'empty-validation', message: 'The validation split is empty, so progress cannot be measured. Assign splits with a validation share (e.g. 80/10/10).' });
  }
  return problems;
}

/** The snapshot a run trains on; refuses, with what to do, a dataset that cannot train. */
export function snapshotForTraining(project: Project): DatasetSnapshot {
  const { snapshot, unsplit } = readDataset(project);
  const problems = datasetProblems(snapshot, unsplit);
  if (problems.length > 0) throw new GraftError('bad-request', problems.map((p) => p.message).join(' '), { problems });
  return snapshot;
}
