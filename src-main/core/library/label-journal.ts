import type { Database } from 'better-sqlite3';
import { GraftError } from '../../api/errors';
import type { Project } from '../project/project';
import type { LabelOperationKind, UndoState, UndoResult } from '../../api/types/library';
import { applySplitChanges, recordSplitChanges, type SplitChange } from './split-journal';
export type { LabelOperationKind, UndoState, UndoResult } from '../../api/types/library';

/** A class row as the journal stores it. */
export interface ClassState {
  id: number;
  name: string;
  color: string;
  sortOrder: number;
  /** Absent in entries written before classes had hotkeys: restoring such a state keeps (or gives) a key. */
  hotkey?: number | null;
  createdAt: string;
}

/** A class before and after an operation (null: did not exist). */
export interface ClassChange {
  id: number;
  before: ClassState | null;
  after: ClassState | null;
}

/** One image's label before and after an operation (null: unlabelled). */
export interface LabelChange {
  imageId: number;
  before: number | null;
  after: number | null;
}

/** How many operations stay undoable; older entries are dropped. */
export const JOURNAL_LIMIT = 200;

/**
 * Records an operation that was just applied, in the caller's transaction. Recording clears
 * the redo stack, as in every editor. Operations that changed nothing are not recorded.
 */
export function recordOperation(
  db: Database,
  kind: LabelOperationKind,
  summary: string,
  classChanges: readonly ClassChange[],
  labelChanges: readonly LabelChange[],
  splitChanges: readonly SplitChange[] = [],
): void {
  if (classChanges.length === 0 && labelChanges.length === 0 && splitChanges.length === 0) return;
  db.prepare('DELETE FROM label_journal WHERE undone = 1').run();
  const entryId = Number(
    db
      .prepare('INSERT INTO label_journal (kind, summary, classes, created_at) VALUES (?, ?, ?, ?)')
      .run(kind, summary, JSON.stringify(classChanges), new Date().toISOString()).lastInsertRowid,
  );
  const item = db.prepare('INSERT INTO label_journal_items (entry_id, image_id, before_class, after_class) VALUES (?, ?, ?, ?)');
  for (const change of labelChanges) item.run(entryId, change.imageId, change.before, change.after);
  recordSplitChanges(db, entryId, splitChanges);
  db.prepare('DELETE FROM label_journal WHERE id <= ?').run(entryId - JOURNAL_LIMIT);
}

/** Undoes the latest label operation that is not undone yet; null when there is none. */
export function undo(project: Project): UndoResult | null {
  return step(project, 'undo');
}

/** Redoes the earliest undone operation; null when there is none. */
export function redo(project: Project): UndoResult | null {
  return step(project, 'redo');
}

/** What undo and redo would do next. */
export function undoState(project: Project): UndoState {
  const db = project.db;
  const undoRow = db.prepare('SELECT summary FROM label_journal WHERE undone = 0 ORDER BY id DESC LIMIT 1').get() as
    | { summary: string }
    | undefined;
  const redoRow = db.prepare('SELECT summary FROM label_journal WHERE undone = 1 ORDER BY id ASC LIMIT 1').get() as
    | { summary: string }
    | undefined;
  return {
    canUndo: undoRow !== undefined,
    canRedo: redoRow !== undefined,
    undoSummary: undoRow?.summary ?? null,
    redoSummary: redoRow?.summary ?? null,
  };
}

interface EntryRow {
  id: number;
  kind: LabelOperationKind;
  summary: string;
  classes: string;
}

function step(project: Project, direction: 'undo' | 'redo'): UndoResult | null {
  const db = project.db;
  const result = db.transaction(() => {
    const entry = db
      .prepare(
        direction === 'undo'
          ? 'SELECT id, kind, summary, classes FROM label_journal WHERE undone = 0 ORDER BY id DESC LIMIT 1'
          : 'SELECT id, kind, summary, classes FROM label_journal WHERE undone = 1 ORDER BY id ASC LIMIT 1',
      )
      .get() as EntryRow | undefined;
    if (!entry) return null;
    const classChanges = JSON.parse(entry.classes) as ClassChange[];
    const items = db
      .prepare('SELECT image_id AS imageId, before_class AS before, after_class AS after FROM label_journal_items WHERE entry_id = ?')
      .all(entry.id) as LabelChange[];
    const target = (change: { before: ClassState | null; after: ClassState | null }) =>
      direction === 'undo' ? change.before : change.after;
    // Classes that must exist come first (labels point at them), classes to remove go last.
    // Hotkeys of the classes being written are let go first, so keys that were exchanged can be exchanged back.
    const releaseKey = db.prepare('UPDATE classes SET hotkey = NULL WHERE id = ?');
    for (const change of classChanges) if (target(change)?.hotkey !== undefined) releaseKey.run(change.id);
    for (const change of classChanges) {
      const state = target(change);
      if (state) writeClass(db, state);
    }
    const imagesChanged = applyLabels(db, items, direction);
    applySplitChanges(db, entry.id, direction);
    for (const change of classChanges) {
      if (target(change)) continue;
      refuseIfLabelledOutside(db, change.id, direction);
      db.prepare('DELETE FROM classes WHERE id = ?').run(change.id);
    }
    db.prepare('UPDATE label_journal SET undone = ? WHERE id = ?').run(direction === 'undo' ? 1 : 0, entry.id);
    return { kind: entry.kind, summary: entry.summary, imagesChanged };
  })();
  return result ? { ...result, state: undoState(project) } : null;
}

/**
 * Labels the journal did not record (a folder import's) would vanish with the class, and a
 * redo could not bring them back: refuse instead. Throwing rolls the whole step back.
 */
function refuseIfLabelledOutside(db: Database, classId: number, direction: 'undo' | 'redo'): void {
  const left = (db.prepare('SELECT COUNT(*) AS n FROM labels WHERE class_id = ?').get(classId) as { n: number }).n;
  if (left === 0) return;
  const name = (db.prepare('SELECT name FROM classes WHERE id = ?').get(classId) as { name: string }).name;
  const images = `${left} ${left === 1 ? 'image' : 'images'}`;
  throw new GraftError(
    'bad-request',
    `Cannot ${direction}: it would delete class "${name}", and with it the labels of ${images} that an import ` +
      `added since (${direction} cannot bring those back). Delete or merge the class yourself instead.`,
    { classId, labels: left },
  );
}

function writeClass(db: Database, state: ClassState): void {
  // A key another class has taken since stays with it; the restored class then gets the lowest free one.
  const wanted = state.hotkey ?? null;
  const taken = wanted !== null && db.prepare('SELECT 1 FROM classes WHERE hotkey = ? AND id != ?').get(wanted, state.id) !== undefined;
  const row = {
    id: state.id,
    name: state.name,
    color: state.color,
    sortOrder: state.sortOrder,
    createdAt: state.createdAt,
    hotkey: taken ? null : wanted,
    keepKey: state.hotkey === undefined ? 1 : 0,
  };
  try {
    db.prepare(
      `INSERT INTO classes (id, name, color, sort_order, hotkey, created_at) VALUES (@id, @name, @color, @sortOrder, @hotkey, @createdAt)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, color = excluded.color, sort_order = excluded.sort_order,
         hotkey = CASE WHEN @keepKey = 1 THEN classes.hotkey ELSE excluded.hotkey END`,
    ).run(row);
  } catch (error) {
    // Possible when an import created a class of that name after the operation being undone.
    throw new GraftError(
      'bad-request',
      `Cannot restore class "${state.name}": another class now has that name. Rename or merge it, then try again.`,
      { cause: (error as Error).message },
    );
  }
}

function applyLabels(db: Database, items: readonly LabelChange[], direction: 'undo' | 'redo'): number {
  const set = db.prepare(
    `INSERT INTO labels (image_id, class_id, labelled_at)
     SELECT @imageId, @classId, @now WHERE EXISTS (SELECT 1 FROM images WHERE id = @imageId)
     ON CONFLICT (image_id) DO UPDATE SET class_id = excluded.class_id, labelled_at = excluded.labelled_at`,
  );
  const clear = db.prepare('DELETE FROM labels WHERE image_id = ?');
  const now = new Date().toISOString();
  let changed = 0;
  for (const item of items) {
    const classId = direction === 'undo' ? item.before : item.after;
    const info = classId === null ? clear.run(item.imageId) : set.run({ imageId: item.imageId, classId, now });
    changed += info.changes;
  }
  return changed;
}
