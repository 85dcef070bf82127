import type { Database } from 'better-sqlite3';
import { GraftError } from '../../api/errors';
import type { Project } from '../project/project';
import { requireClass } from './classes';
import { recordOperation, undoState, type LabelChange } from './label-journal';
import type { LabelResult } from '../../api/types/library';
export type { LabelResult } from '../../api/types/library';

/** Most images one label operation takes (a whole 100k library fits several times). */
export const MAX_BULK_IMAGES = 1_000_000;

/** Checks a list of image ids from the UI and removes repeats. */
export function checkImageIds(imageIds: unknown): number[] {
  if (!Array.isArray(imageIds)) throw new GraftError('bad-request', 'Image ids must be a list.');
  if (imageIds.length > MAX_BULK_IMAGES) throw new GraftError('bad-request', `Label at most ${MAX_BULK_IMAGES} images at once.`);
  for (const id of imageIds) {
    if (!Number.isSafeInteger(id) || (id as number) < 1) throw new GraftError('bad-request', `Not an image id: ${String(id)}`);
  }
  return [...new Set(imageIds as number[])];
}

/** Current labels of the given images that exist (image id → class id or null). */
export function currentLabels(db: Database, imageIds: readonly number[]): Map<number, number | null> {
  const rows = db
    .prepare(
      `SELECT i.id AS imageId, l.class_id AS classId
       FROM json_each(?) j JOIN images i ON i.id = j.value LEFT JOIN labels l ON l.image_id = i.id`,
    )
    .all(JSON.stringify(imageIds)) as { imageId: number; classId: number | null }[];
  return new Map(rows.map((row) => [row.imageId, row.classId]));
}

/**
 * Sets each image's label to `classId` (null removes it) inside the caller's transaction.
 * Returns the changes for the journal and how many of the ids are images at all. One
 * statement over a JSON id list, so 10,000 images cost one SQLite call, not 10,000.
 */
export function writeLabels(
  db: Database,
  imageIds: readonly number[],
  classId: number | null,
): { changes: LabelChange[]; known: number } {
  const before = currentLabels(db, imageIds);
  const changes: LabelChange[] = [];
  for (const [imageId, previous] of before) if (previous !== classId) changes.push({ imageId, before: previous, after: classId });
  const ids = JSON.stringify(changes.map((c) => c.imageId));
  if (classId === null) {
    db.prepare('DELETE FROM labels WHERE image_id IN (SELECT value FROM json_each(?))').run(ids);
  } else {
    db.prepare(
      `INSERT INTO labels (image_id, class_id, labelled_at) SELECT value, ?, ? FROM json_each(?) WHERE true
       ON CONFLICT (image_id) DO UPDATE SET class_id = excluded.class_id, labelled_at = excluded.labelled_at`,
    ).run(classId, new Date().toISOString(), ids);
  }
  return { changes, known: before.size };
}

/** Labels a set of images with one class, as one undoable operation. */
export function assignLabel(project: Project, imageIds: readonly number[], classId: number): LabelResult {
  const ids = checkImageIds(imageIds);
  const db = project.db;
  const result = db.transaction(() => {
    const target = requireClass(db, classId);
    const { changes, known } = writeLabels(db, ids, classId);
    recordOperation(db, 'assign', `label ${plural(changes.length)} as "${target.name}"`, [], changes);
    return { changed: changes.length, unknown: ids.length - known };
  })();
  return { ...result, undo: undoState(project) };
}

/** Removes the labels of a set of images, as one undoable operation. */
export function removeLabels(project: Project, imageIds: readonly number[]): LabelResult {
  const ids = checkImageIds(imageIds);
  const db = project.db;
  const result = db.transaction(() => {
    const { changes, known } = writeLabels(db, ids, null);
    recordOperation(db, 'unlabel', `remove the label from ${plural(changes.length)}`, [], changes);
    return { changed: changes.length, unknown: ids.length - known };
  })();
  return { ...result, undo: undoState(project) };
}

function plural(n: number): string {
  return `${n} ${n === 1 ? 'image' : 'images'}`;
}
