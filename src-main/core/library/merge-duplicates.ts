import type { Database } from 'better-sqlite3';
import type { DuplicateFile } from '../../api/types/library';
import { stillAtPath } from './import-file';
import { pathRange } from './import-run-log';

interface HashRow {
  id: number;
  path: string;
  size: number;
  mtime_ms: number;
  content_hash: string;
}

/** One row merged into another: the extra row's id, path and file, and the row that keeps the photo. */
export interface MergedRow extends DuplicateFile {
  id: number;
  contentHash: string;
  size: number;
  mtimeMs: number;
}

/**
 * Merges rows holding byte-identical photos that slipped in as separate images (two imports
 * that interleaved without the lock, an older Graft): an import never keeps two rows for the
 * same bytes, it reports the second file as a duplicate. For each such group with a row under
 * `root`, the oldest row whose file is still in place stays; the others under `root` go, their
 * label and pinned split moving to it when it has none. One transaction; returns the merged rows.
 */
export function mergeDuplicateRows(db: Database, root: string): MergedRow[] {
  const [low, high] = pathRange(root);
  const rows = db
    .prepare(
      `SELECT id, path, size, mtime_ms, content_hash FROM images
       WHERE missing = 0 AND content_hash IN (
         SELECT content_hash FROM images WHERE missing = 0 AND path >= ? AND path < ?
         INTERSECT
         SELECT content_hash FROM images WHERE missing = 0 GROUP BY content_hash HAVING COUNT(*) > 1)
       ORDER BY content_hash, id`,
    )
    .all(low, high) as HashRow[];
  const groups = new Map<string, HashRow[]>();
  for (const row of rows) {
    const group = groups.get(row.content_hash);
    if (group) group.push(row);
    else groups.set(row.content_hash, [row]);
  }
  const merged: MergedRow[] = [];
  const moveLabel = db.prepare('UPDATE OR IGNORE labels SET image_id = ? WHERE image_id = ?');
  const moveSplit = db.prepare('UPDATE OR IGNORE splits SET image_id = ? WHERE image_id = ? AND pinned = 1');
  const remove = db.prepare('DELETE FROM images WHERE id = ?');
  db.transaction(() => {
    for (const group of groups.values()) {
      // Files moved or changed since are the import's business (relink, update), not duplicates.
      const present = group.filter((row) => stillAtPath(row.path, row.size, row.mtime_ms));
      const keep = present[0];
      if (!keep) continue;
      for (const extra of present.slice(1)) {
        if (extra.path < low || extra.path >= high) continue;
        // OR IGNORE: when the kept row has its own label or split, the extra's is dropped with it.
        moveLabel.run(keep.id, extra.id);
        moveSplit.run(keep.id, extra.id);
        remove.run(extra.id);
        merged.push({ id: extra.id, path: extra.path, duplicateOf: keep.path, contentHash: extra.content_hash, size: extra.size, mtimeMs: extra.mtime_ms });
      }
    }
  })();
  return merged;
}
