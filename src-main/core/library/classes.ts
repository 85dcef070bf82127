import type { Database } from 'better-sqlite3';
import { GraftError } from '../../api/errors';
import type { Project } from '../project/project';
import { isHexColor, pickClassColor } from './class-colors';
import { recordOperation, undoState, type ClassChange, type ClassState, type LabelChange, type UndoState } from './label-journal';
import type { ClassInfo } from '../../api/types/library';
import type { ClassOperationResult } from '../../api/types/library';
export type { ClassOperationResult } from '../../api/types/library';

/** Longest class name accepted (it becomes a folder name on export). */
export const MAX_CLASS_NAME_LENGTH = 100;

/** Lists every class in display order with its image count. */
export function listClasses(project: Project): ClassInfo[] {
  return project.db
    .prepare(
      `SELECT c.id, c.name, c.color, c.sort_order AS sortOrder, c.hotkey,
              (SELECT COUNT(*) FROM labels l WHERE l.class_id = c.id) AS imageCount
       FROM classes c ORDER BY c.sort_order, c.id`,
    )
    .all() as ClassInfo[];
}

/** Reads one class as the journal stores it, or null. */
export function readClass(db: Database, classId: number): ClassState | null {
  const row = db
    .prepare('SELECT id, name, color, sort_order AS sortOrder, hotkey, created_at AS createdAt FROM classes WHERE id = ?')
    .get(classId) as ClassState | undefined;
  return row ?? null;
}

/** Reads one class or fails with a not-found error the UI can show. */
export function requireClass(db: Database, classId: number): ClassState {
  const found = Number.isSafeInteger(classId) ? readClass(db, classId) : null;
  if (!found) throw new GraftError('not-found', `Class ${classId} does not exist (it may have been deleted).`);
  return found;
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

/** Checks and tidies a class name; fails with the rule it broke. */
export function checkClassName(name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (!trimmed) throw new GraftError('bad-request', 'A class needs a name.');
  if (trimmed.length > MAX_CLASS_NAME_LENGTH) {
    throw new GraftError('bad-request', `Class names are at most ${MAX_CLASS_NAME_LENGTH} characters.`);
  }
  if (CONTROL_CHARACTER.test(trimmed)) throw new GraftError('bad-request', 'Class names cannot contain control characters.');
  return trimmed;
}

/**
 * Makes a name the user did not type for a class (a folder name) pass `checkClassName`:
 * control characters dropped, trimmed, cut to the length limit. Null when nothing is left.
 */
export function tidyClassName(raw: string): string | null {
  let name = raw.replace(CONTROL_CHARACTERS, '').trim();
  if (name.length > MAX_CLASS_NAME_LENGTH) {
    name = name.slice(0, MAX_CLASS_NAME_LENGTH);
    // Never keep half of a character that needs two UTF-16 units.
    if (/[\ud800-\udbff]$/.test(name)) name = name.slice(0, -1);
    name = name.trimEnd();
  }
  return name || null;
}

function assertNameFree(db: Database, name: string, exceptId?: number): void {
  const clash = db.prepare('SELECT id FROM classes WHERE name = ?').get(name) as { id: number } | undefined;
  if (clash && clash.id !== exceptId) {
    throw new GraftError('bad-request', `A class named "${name}" already exists. Pick another name, or merge the two classes.`);
  }
}

/** The colour for a class made now: one no class uses while such colours remain. */
export function nextClassColor(db: Database): string {
  const rows = db.prepare('SELECT color FROM classes').all() as { color: string }[];
  return pickClassColor(rows.map((row) => row.color));
}

/**
 * Inserts a class row with a colour no class uses, the next sort place and the lowest free
 * hotkey (the schema gives it), inside the caller's transaction (not journaled).
 */
export function insertClassRow(db: Database, name: string, color?: string): ClassState {
  const sortOrder = (db.prepare('SELECT COALESCE(MAX(sort_order) + 1, 0) AS n FROM classes').get() as { n: number }).n;
  const createdAt = new Date().toISOString();
  const chosen = color ?? nextClassColor(db);
  const id = Number(
    db.prepare('INSERT INTO classes (name, color, sort_order, created_at) VALUES (?, ?, ?, ?)').run(name, chosen, sortOrder, createdAt)
      .lastInsertRowid,
  );
  return requireClass(db, id);
}

/** Creates a class (undoable). A colour is picked from the palette unless one is given. */
export function createClass(project: Project, name: string, options: { color?: string } = {}): ClassOperationResult {
  const clean = checkClassName(name);
  if (options.color !== undefined && !isHexColor(options.color)) throw new GraftError('bad-request', 'Colours are written #rrggbb.');
  const db = project.db;
  const state = db.transaction(() => {
    assertNameFree(db, clean);
    const created = insertClassRow(db, clean, options.color?.toLowerCase());
    recordOperation(db, 'class-create', `create class "${clean}"`, [{ id: created.id, before: null, after: created }], []);
    return created;
  })();
  return { classId: state.id, imagesChanged: 0, undo: undoState(project) };
}

/** Renames a class (undoable). */
export function renameClass(project: Project, classId: number, name: string): ClassOperationResult {
  const clean = checkClassName(name);
  return updateClass(project, classId, 'class-rename', (before) => {
    assertNameFree(project.db, clean, classId);
    return { after: { ...before, name: clean }, summary: `rename class "${before.name}" to "${clean}"` };
  });
}

/** Changes a class's colour (undoable). */
export function recolorClass(project: Project, classId: number, color: string): ClassOperationResult {
  if (!isHexColor(color)) throw new GraftError('bad-request', 'Colours are written #rrggbb.');
  return updateClass(project, classId, 'class-recolor', (before) => ({
    after: { ...before, color: color.toLowerCase() },
    summary: `change the colour of "${before.name}"`,
  }));
}

function updateClass(
  project: Project,
  classId: number,
  kind: 'class-rename' | 'class-recolor',
  change: (before: ClassState) => { after: ClassState; summary: string },
): ClassOperationResult {
  const db = project.db;
  db.transaction(() => {
    const before = requireClass(db, classId);
    const { after, summary } = change(before);
    if (after.name === before.name && after.color === before.color) return;
    db.prepare('UPDATE classes SET name = ?, color = ? WHERE id = ?').run(after.name, after.color, classId);
    recordOperation(db, kind, summary, [{ id: classId, before, after }], []);
  })();
  return { classId, imagesChanged: 0, undo: undoState(project) };
}

/**
 * Gives a class the digit key (1–9) that labels with it, or none (null), undoable. A class that
 * held that key takes this class's old one in exchange, so no class loses a key it did not ask to lose.
 */
export function setClassHotkey(project: Project, classId: number, hotkey: number | null): ClassOperationResult {
  if (hotkey !== null && !(Number.isInteger(hotkey) && hotkey >= 1 && hotkey <= 9)) {
    throw new GraftError('bad-request', 'A class hotkey is a digit from 1 to 9, or none.');
  }
  const db = project.db;
  db.transaction(() => {
    const before = requireClass(db, classId);
    if (before.hotkey === hotkey) return;
    const holderRow = hotkey === null ? undefined : (db.prepare('SELECT id FROM classes WHERE hotkey = ?').get(hotkey) as { id: number } | undefined);
    const holder = holderRow ? requireClass(db, holderRow.id) : null;
    const changes: ClassChange[] = [];
    // Cleared first: the unique index would refuse the exchange written in either order.
    db.prepare('UPDATE classes SET hotkey = NULL WHERE id IN (?, ?)').run(classId, holder?.id ?? classId);
    db.prepare('UPDATE classes SET hotkey = ? WHERE id = ?').run(hotkey, classId);
    changes.push({ id: classId, before, after: { ...before, hotkey } });
    if (holder) {
      db.prepare('UPDATE classes SET hotkey = ? WHERE id = ?').run(before.hotkey, holder.id);
      changes.push({ id: holder.id, before: holder, after: { ...holder, hotkey: before.hotkey } });
    }
    const key = hotkey === null ? 'no key' : `key ${hotkey}`;
    const exchange = holder ? ` ("${holder.name}" takes ${before.hotkey === null ? 'no key' : `key ${before.hotkey}`})` : '';
    recordOperation(db, 'class-hotkey', `give "${before.name}" ${key}${exchange}`, changes, []);
  })();
  return { classId, imagesChanged: 0, undo: undoState(project) };
}

/**
 * Puts classes in the given order (undoable). The list must name every class once; repeats
 * are dropped (the first place counts), so a stale or partial list from the UI is refused
 * rather than half applied.
 */
export function reorderClasses(project: Project, orderedIds: readonly number[]): { undo: UndoState } {
  if (!Array.isArray(orderedIds)) throw new GraftError('bad-request', 'Class ids must be a list.');
  for (const id of orderedIds as unknown[]) {
    if (!Number.isSafeInteger(id)) throw new GraftError('bad-request', `Not a class id: ${String(id)}`);
  }
  const order = [...new Set(orderedIds)];
  const db = project.db;
  db.transaction(() => {
    const all = new Map(listClasses(project).map((c) => [c.id, c]));
    if (order.length !== all.size || order.some((id) => !all.has(id))) {
      throw new GraftError(
        'bad-request',
        `Reordering needs every class once (${all.size} classes, ${order.length} ids given); the classes may have changed, so refresh and try again.`,
      );
    }
    const changes: ClassChange[] = [];
    order.map((id) => requireClass(db, id)).forEach((before, index) => {
      if (before.sortOrder === index) return;
      db.prepare('UPDATE classes SET sort_order = ? WHERE id = ?').run(index, before.id);
      changes.push({ id: before.id, before, after: { ...before, sortOrder: index } });
    });
    recordOperation(db, 'class-reorder', 'reorder classes', changes, []);
  })();
  return { undo: undoState(project) };
}

/**
 * Moves every image of the source classes into the target class and deletes the sources
 * (undoable: the sources come back with their images).
 */
export function mergeClasses(project: Project, sourceIds: readonly number[], targetId: number): ClassOperationResult {
  const db = project.db;
  const moved = db.transaction(() => {
    const target = requireClass(db, targetId);
    const sources = [...new Set(sourceIds)].filter((id) => id !== targetId).map((id) => requireClass(db, id));
    if (sources.length === 0) throw new GraftError('bad-request', 'Choose at least one class to merge into another one.');
    const labelChanges: LabelChange[] = [];
    for (const source of sources) {
      const images = db.prepare('SELECT image_id AS id FROM labels WHERE class_id = ?').all(source.id) as { id: number }[];
      for (const image of images) labelChanges.push({ imageId: image.id, before: source.id, after: targetId });
      db.prepare('UPDATE labels SET class_id = ? WHERE class_id = ?').run(targetId, source.id);
      db.prepare('DELETE FROM classes WHERE id = ?').run(source.id);
    }
    const names = sources.map((s) => `"${s.name}"`).join(', ');
    recordOperation(
      db,
      'class-merge',
      `merge ${names} into "${target.name}"`,
      sources.map((before) => ({ id: before.id, before, after: null })),
      labelChanges,
    );
    return labelChanges.length;
  })();
  return { classId: targetId, imagesChanged: moved, undo: undoState(project) };
}

/** Deletes a class; its images become unlabelled (undoable). Reports how many images that affected. */
export function deleteClass(project: Project, classId: number): ClassOperationResult {
  const db = project.db;
  const affected = db.transaction(() => {
    const before = requireClass(db, classId);
    const images = db.prepare('SELECT image_id AS id FROM labels WHERE class_id = ?').all(classId) as { id: number }[];
    db.prepare('DELETE FROM classes WHERE id = ?').run(classId);
    recordOperation(
      db,
      'class-delete',
      `delete class "${before.name}" (${images.length} ${images.length === 1 ? 'image' : 'images'})`,
      [{ id: classId, before, after: null }],
      images.map((image) => ({ imageId: image.id, before: classId, after: null })),
    );
    return images.length;
  })();
  return { classId, imagesChanged: affected, undo: undoState(project) };
}
