import type { Database } from 'better-sqlite3';
import type { SplitName } from '../../api/types/library';

/** An image's split row as the journal stores it. */
export interface SplitState {
  split: SplitName;
  pinned: boolean;
  seed: number | null;
}

/** One image's split before and after an operation (null: no split row). */
export interface SplitChange {
  imageId: number;
  before: SplitState | null;
  after: SplitState | null;
}

interface SplitRow {
  split: SplitName;
  pinned: number;
  seed: number | null;
}

/** A journal row: the columns of each side are all NULL when that side had no split. */
interface SplitItemRow {
  imageId: number;
  beforeSplit: SplitName | null;
  beforePinned: number | null;
  beforeSeed: number | null;
  afterSplit: SplitName | null;
  afterPinned: number | null;
  afterSeed: number | null;
}

/** The split rows of the given images; images without one are absent. */
export function currentSplits(db: Database, imageIds: readonly number[]): Map<number, SplitState> {
  const rows = db
    .prepare('SELECT image_id AS imageId, split, pinned, seed FROM splits WHERE image_id IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(imageIds)) as (SplitRow & { imageId: number })[];
  return new Map(rows.map((row) => [row.imageId, toState(row)]));
}

/** True when two split states are the same (both absent included). */
export function sameSplit(a: SplitState | null, b: SplitState | null): boolean {
  if (a === null || b === null) return a === b;
  return a.split === b.split && a.pinned === b.pinned && a.seed === b.seed;
}

/** Stores an entry's split changes, in the caller's transaction. */
export function recordSplitChanges(db: Database, entryId: number, changes: readonly SplitChange[]): void {
  const insert = db.prepare(
    `INSERT INTO label_journal_splits (entry_id, image_id, before_split, before_pinned, before_seed, after_split, after_pinned, after_seed)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const { imageId, before, after } of changes) insert.run(entryId, imageId, ...columns(before), ...columns(after));
}

/**
 * Moves each image of an entry to the other side of its split change. An image whose split
 * is no longer what the entry left (pinned by hand or reassigned since) keeps it: that is
 * the user's newer word. Returns how many images changed.
 */
export function applySplitChanges(db: Database, entryId: number, direction: 'undo' | 'redo'): number {
  const items = db
    .prepare(
      `SELECT image_id AS imageId, before_split AS beforeSplit, before_pinned AS beforePinned, before_seed AS beforeSeed,
              after_split AS afterSplit, after_pinned AS afterPinned, after_seed AS afterSeed
       FROM label_journal_splits WHERE entry_id = ?`,
    )
    .all(entryId) as SplitItemRow[];
  if (items.length === 0) return 0;
  const now = currentSplits(db, items.map((item) => item.imageId));
  const set = db.prepare(
    `INSERT INTO splits (image_id, split, pinned, seed) SELECT @imageId, @split, @pinned, @seed WHERE EXISTS (SELECT 1 FROM images WHERE id = @imageId)
     ON CONFLICT (image_id) DO UPDATE SET split = excluded.split, pinned = excluded.pinned, seed = excluded.seed`,
  );
  const clear = db.prepare('DELETE FROM splits WHERE image_id = ?');
  let changed = 0;
  for (const item of items) {
    const before = item.beforeSplit === null ? null : toState({ split: item.beforeSplit, pinned: item.beforePinned ?? 0, seed: item.beforeSeed });
    const after = item.afterSplit === null ? null : toState({ split: item.afterSplit, pinned: item.afterPinned ?? 0, seed: item.afterSeed });
    const [from, to] = direction === 'undo' ? [after, before] : [before, after];
    if (!sameSplit(now.get(item.imageId) ?? null, from)) continue;
    const info = to === null ? clear.run(item.imageId) : set.run({ imageId: item.imageId, split: to.split, pinned: to.pinned ? 1 : 0, seed: to.seed });
    changed += info.changes;
  }
  return changed;
}

function toState(row: SplitRow): SplitState {
  return { split: row.split, pinned: row.pinned === 1, seed: row.seed };
}

function columns(state: SplitState | null): [string | null, number | null, number | null] {
  return state === null ? [null, null, null] : [state.split, state.pinned ? 1 : 0, state.seed];
}
