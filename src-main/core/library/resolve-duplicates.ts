import type { Database } from 'better-sqlite3';
import type { DuplicateFile } from '../../api/types/library';
import type { LabelConflict } from '../../api/types/import';
import { comparePaths, copyAt, preferCopy, type FolderLabelling, type PhotoCopy } from './duplicate-preference';
import { pathRange } from './import-run-log';
import type { ImportWriter } from './import-writer';

/** A file the import found to hold bytes another path already holds. */
export interface FoundDuplicate {
  path: string;
  /** The path that held the bytes when this file was read. */
  duplicateOf: string;
  contentHash: string;
  size: number;
  mtimeMs: number;
}

/** What the import reports once every photo found at several paths is settled. */
export interface DuplicateResolution {
  duplicates: DuplicateFile[];
  conflicts: LabelConflict[];
  /** Change to the import's per-class counts (a copy that lost no longer counts for its class). */
  classDelta: Map<string, number>;
}

interface RowOfHash {
  id: number;
  path: string;
}

/**
 * Settles each photo the import found more than once. During the walk whichever copy was read
 * first took the row; here the preferred copy (see duplicate-preference.ts) takes it instead,
 * with its class, so the outcome depends on the files and not on read order, and a re-import
 * changes nothing. Copies of the best rank naming different classes are a conflict: the photo
 * keeps no folder label (a label the user gave stays). Writes go through `writer`, flushed here.
 */
export function resolveDuplicates(
  db: Database,
  writer: ImportWriter,
  labelling: FolderLabelling,
  found: readonly FoundDuplicate[],
  seen: ReadonlySet<number>,
): DuplicateResolution {
  const byHash = new Map<string, Map<string, FoundDuplicate>>();
  for (const file of found) {
    const group = byHash.get(file.contentHash) ?? new Map<string, FoundDuplicate>();
    group.set(file.path, file);
    byHash.set(file.contentHash, group);
  }
  const [low, high] = pathRange(labelling.root);
  const underRoot = (file: string) => file >= low && file < high;
  const rowsOf = db.prepare('SELECT id, path FROM images WHERE content_hash = ? AND missing = 0 ORDER BY id');
  const rowAt = db.prepare('SELECT id FROM images WHERE path = ?');
  const resolution: DuplicateResolution = { duplicates: [], conflicts: [], classDelta: new Map() };
  const count = (className: string | null, delta: number) => {
    if (className !== null) resolution.classDelta.set(className, (resolution.classDelta.get(className) ?? 0) + delta);
  };

  for (const [hash, files] of byHash) {
    const rows = rowsOf.all(hash) as RowOfHash[];
    // A photo whose first copy was then skipped has no row; its copies stay reported as they were.
    if (rows.length === 0) {
      for (const file of files.values()) resolution.duplicates.push({ path: file.path, duplicateOf: file.duplicateOf });
      continue;
    }
    // The row this import walked past is one of the copies; a row elsewhere (another folder's
    // import) stays where it is and only takes the label.
    const row = rows.find((r) => seen.has(r.id) && underRoot(r.path)) ?? rows[0]!;
    const rowIsCopy = seen.has(row.id) && underRoot(row.path);
    const copies: PhotoCopy[] = [...files.values()].filter((file) => file.path !== row.path).map((file) => copyAt(labelling, file.path));
    const rowCopy = rowIsCopy ? copyAt(labelling, row.path) : null;
    if (rowCopy) copies.push(rowCopy);
    // Only without the lock: another process gave the file a row of its own since; nothing to choose.
    if (copies.length === 0) {
      for (const file of files.values()) resolution.duplicates.push({ path: file.path, duplicateOf: file.duplicateOf });
      continue;
    }
    const choice = preferCopy(copies);
    let kept = row.path;
    if (rowCopy && choice.keep.path !== row.path) {
      const occupant = rowAt.get(choice.keep.path) as { id: number } | undefined;
      if (occupant === undefined) {
        const file = files.get(choice.keep.path)!;
        writer.add({ kind: 'move', id: row.id, path: file.path, size: file.size, mtimeMs: file.mtimeMs });
        kept = file.path;
      }
    }
    // The row's own copy was counted for its class during the walk; the winner counts instead.
    count(rowCopy?.className ?? null, -1);
    if (choice.kind === 'keep') {
      writer.add({ kind: 'folderLabel', id: row.id, className: choice.label });
      count(choice.label, +1);
    } else {
      writer.add({ kind: 'folderLabel', id: row.id, className: null });
      resolution.conflicts.push({
        path: kept,
        imageId: row.id,
        copies: choice.conflicting.map((copy) => ({ path: copy.path, className: copy.className! })),
        label: null,
      });
    }
    const reported = new Set(choice.kind === 'conflict' ? choice.conflicting.map((copy) => copy.path) : []);
    reported.add(kept);
    for (const copy of copies) {
      if (!reported.has(copy.path)) resolution.duplicates.push({ path: copy.path, duplicateOf: kept });
    }
  }
  writer.add({ kind: 'dropEmptyClasses' });
  for (const duplicate of resolution.duplicates) writer.add({ kind: 'issue', issue: 'duplicate', path: duplicate.path, reason: duplicate.duplicateOf });
  writer.flush();
  // The label each conflicting photo ended with: none, or the one the user had given it.
  const labelOf = db.prepare('SELECT c.name FROM labels l JOIN classes c ON c.id = l.class_id WHERE l.image_id = ?');
  for (const conflict of resolution.conflicts) conflict.label = (labelOf.get(conflict.imageId) as { name: string } | undefined)?.name ?? null;
  resolution.duplicates.sort((a, b) => comparePaths(a.path, b.path));
  resolution.conflicts.sort((a, b) => comparePaths(a.path, b.path));
  return resolution;
}
