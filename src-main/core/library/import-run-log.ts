import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { ImportSummary } from '../../api/types/import';
import { errnoCode } from '../../base/fs-errors';

/** Import runs kept in the log (with their skipped and duplicate lists); older ones are dropped. */
export const KEPT_IMPORT_RUNS = 50;

/**
 * Opens a run in the import log. Runs still marked running belong to an import that died
 * (crash, kill): with one import per project at a time they are marked failed first.
 */
export function startImportRun(db: Database, folder: string): number {
  return db.transaction(() => {
    db.prepare("UPDATE import_runs SET status = 'failed' WHERE status = 'running'").run();
    // Each re-import lists the same skipped files again; keep the log from growing without end.
    db.prepare('DELETE FROM import_runs WHERE id <= (SELECT MAX(id) FROM import_runs) - ?').run(KEPT_IMPORT_RUNS - 1);
    const result = db
      .prepare("INSERT INTO import_runs (folder, started_at, status) VALUES (?, ?, 'running')")
      .run(folder, new Date().toISOString());
    return Number(result.lastInsertRowid);
  })();
}

/** Closes a run in the import log with its outcome and counts. */
export function finishImportRun(db: Database, runId: number, status: 'done' | 'cancelled' | 'failed', summary: ImportSummary): void {
  if (!db.open) return;
  const counts = {
    added: summary.added,
    updated: summary.updated,
    unchanged: summary.unchanged,
    relinked: summary.relinked,
    missing: summary.missing,
    duplicates: summary.duplicates.length,
    conflicts: summary.conflicts.length,
    skipped: summary.skipped.length,
  };
  db.prepare('UPDATE import_runs SET status = ?, finished_at = ?, counts = ? WHERE id = ?').run(
    status,
    new Date().toISOString(),
    JSON.stringify(counts),
    runId,
  );
}

/** The bounds [low, high) between which every path under `root` sorts, for a range query. */
export function pathRange(root: string): [string, string] {
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  // Every path under the folder sorts between "root/" and "root0" ('0' follows '/').
  return [prefix, prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)];
}

/**
 * True when no photo is at `file` any more: nothing there, or something that is not a regular
 * file (a folder now stands where the photo was). Unreadable is not gone.
 */
function isGone(file: string): boolean {
  try {
    return !fs.statSync(file).isFile();
  } catch (error) {
    const code = errnoCode(error);
    return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP';
  }
}

/**
 * Flags rows under `root` that this import did not see and whose file is really gone
 * (a file the walk passed over — unreadable, now corrupt — is still there and keeps its flag).
 * Returns how many rows became missing.
 */
export function markMissingUnder(db: Database, root: string, seen: ReadonlySet<number>): number {
  const [prefix, upper] = pathRange(root);
  const rows = db.prepare('SELECT id, path FROM images WHERE path >= ? AND path < ? AND missing = 0').all(prefix, upper) as {
    id: number;
    path: string;
  }[];
  const gone = rows.filter((row) => !seen.has(row.id) && isGone(row.path));
  const mark = db.prepare('UPDATE images SET missing = 1 WHERE id = ?');
  db.transaction(() => {
    for (const row of gone) mark.run(row.id);
  })();
  return gone.length;
}

/** Folders imported into the project before, newest first, at most `limit` of them. */
export function importedFolders(db: Database, limit: number): { folder: string; importedAt: string }[] {
  return db
    .prepare('SELECT folder, MAX(started_at) AS importedAt FROM import_runs GROUP BY folder ORDER BY importedAt DESC, folder LIMIT ?')
    .all(limit) as { folder: string; importedAt: string }[];
}
