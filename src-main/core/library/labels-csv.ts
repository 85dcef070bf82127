import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Database } from 'better-sqlite3';
import { fileRefusalError, GraftError } from '../../api/errors';
import type { Project } from '../project/project';
import { checkClassName, insertClassRow } from './classes';
import { writeFileAtomic } from '../../base/atomic-write';
import { csvRow, CsvParser, CsvSyntaxError } from '../../base/csv';
import { FileRefusal, readRegularFileChunks } from '../../base/regular-file';
import { recordOperation, type ClassChange, type LabelChange } from './label-journal';
import { SPLIT_NAMES, type SplitName } from '../../api/types/library';
import { writeLabels } from './labels';
import { checkCsvTarget } from '../csv-target';
import { currentSplits, sameSplit, type SplitChange, type SplitState } from './split-journal';
import type { LabelsCsvExport, LabelsCsvImport } from '../../api/types/library';
export type { LabelsCsvExport, LabelsCsvImport } from '../../api/types/library';

/**
 * Writes `path,label,split` for every image (empty label or split when there is none),
 * in path order. Missing images are included: their labels are still the user's work.
 */
export async function exportLabelsCsv(project: Project, file: string): Promise<LabelsCsvExport> {
  const rows = project.db
    .prepare(
      `SELECT i.path, c.name AS label, s.split FROM images i
       LEFT JOIN labels l ON l.image_id = i.id LEFT JOIN classes c ON c.id = l.class_id
       LEFT JOIN splits s ON s.image_id = i.id ORDER BY i.path`,
    )
    .all() as { path: string; label: string | null; split: string | null }[];
  const lines = [csvRow(['path', 'label', 'split'])];
  let labelled = 0;
  for (const row of rows) {
    if (row.label !== null) labelled++;
    lines.push(csvRow([row.path, row.label ?? '', row.split ?? '']));
  }
  const target = await checkExportTarget(file);
  try {
    // Written aside and renamed, so a crash never leaves half a file where the last export was.
    await writeFileAtomic(target, lines.join('\r\n') + '\r\n');
  } catch (error) {
    throw new GraftError('io', `Cannot write ${target}: ${(error as Error).message}`);
  }
  return { file: target, rows: rows.length, labelled };
}

/**
 * The path an export may write: a `.csv` file that does not exist yet, or an earlier labels
 * export (it starts with the `path,label,split` header). The path comes from the UI, so this
 * keeps a labels export from ever replacing an unrelated file.
 */
function checkExportTarget(file: string): Promise<string> {
  return checkCsvTarget(file, { what: 'labels', kindName: 'a Graft labels export', headerMatches: (head) => /^path,label,split\r?\n/.test(head) });
}

/**
 * Reads `path,label[,split]` and applies it as one undoable operation: rows are matched to
 * images by path (relative paths are taken from the CSV's folder), classes that do not exist
 * are created, an empty label removes the label, and a split given is pinned so a later
 * automatic assignment keeps it. Undo takes back the labels, the classes and the pins.
 */
export async function importLabelsCsv(project: Project, file: string): Promise<LabelsCsvImport> {
  const source = path.resolve(file);
  const records = await readCsvFile(source);
  const header = records[0]?.map((h) => h.trim().toLowerCase()) ?? [];
  const col = { path: header.indexOf('path'), label: header.indexOf('label'), split: header.indexOf('split') };
  if (col.path < 0 || col.label < 0) {
    throw new GraftError('bad-request', `${source} needs a header row with "path" and "label" columns (and optionally "split").`);
  }
  const result: LabelsCsvImport = {
    rows: records.length - 1,
    matched: 0,
    labelsChanged: 0,
    splitsSet: 0,
    createdClasses: [],
    unknownPaths: [],
    invalidRows: [],
  };
  const db = project.db;
  db.transaction(() => {
    const findImage = db.prepare('SELECT id FROM images WHERE path = ?');
    const findClass = db.prepare('SELECT id FROM classes WHERE name = ?');
    const classChanges: ClassChange[] = [];
    // The last row for an image wins, as when a spreadsheet lists it twice.
    const wanted = new Map<number, number | null>();
    const wantedSplits = new Map<number, SplitName>();
    records.slice(1).forEach((record, index) => {
      const line = index + 2;
      // Not trimmed: a path may really end in a space, and the export quotes it.
      const rawPath = record[col.path] ?? '';
      if (!rawPath.trim()) return result.invalidRows.push({ line, reason: 'empty path' });
      const imagePath = path.resolve(path.dirname(source), rawPath);
      const image = findImage.get(imagePath) as { id: number } | undefined;
      if (!image) return result.unknownPaths.push(rawPath);
      const label = record[col.label]?.trim() ?? '';
      const split = col.split >= 0 ? (record[col.split]?.trim().toLowerCase() ?? '') : '';
      if (split && !SPLIT_NAMES.includes(split as SplitName)) {
        return result.invalidRows.push({ line, reason: `unknown split "${split}" (use train, validation or test)` });
      }
      let classId: number | null = null;
      if (label) {
        let name: string;
        try {
          name = checkClassName(label);
        } catch (error) {
          return result.invalidRows.push({ line, reason: (error as Error).message });
        }
        const found = findClass.get(name) as { id: number } | undefined;
        if (found) classId = found.id;
        else {
          const created = insertClassRow(db, name);
          classChanges.push({ id: created.id, before: null, after: created });
          result.createdClasses.push(name);
          classId = created.id;
        }
      }
      result.matched++;
      wanted.set(image.id, classId);
      if (split) wantedSplits.set(image.id, split as SplitName);
    });
    const byClass = new Map<number | null, number[]>();
    for (const [imageId, classId] of wanted) {
      const ids = byClass.get(classId);
      if (ids) ids.push(imageId);
      else byClass.set(classId, [imageId]);
    }
    const labelChanges: LabelChange[] = [];
    for (const [classId, ids] of byClass) labelChanges.push(...writeLabels(db, ids, classId).changes);
    result.labelsChanged = labelChanges.length;
    const splitChanges = pinSplits(db, wantedSplits);
    result.splitsSet = wantedSplits.size;
    recordOperation(db, 'labels-import', `import labels from ${path.basename(source)}`, classChanges, labelChanges, splitChanges);
  })();
  return result;
}

/** A labels CSV larger than this is not one (a million rows of long paths stay far below it). */
export const MAX_LABELS_CSV_BYTES = 256 * 1024 * 1024;

/**
 * Reads and parses a CSV the user named: only a regular file (never a pipe or a device, which
 * would hang or flood the process), at most MAX_LABELS_CSV_BYTES, read and parsed in chunks so
 * the event loop keeps serving other clients meanwhile.
 */
async function readCsvFile(source: string): Promise<string[][]> {
  const parser = new CsvParser();
  const decoder = new StringDecoder('utf8');
  const records: string[][] = [];
  try {
    const take = (rows: string[][]) => {
      for (const row of rows) records.push(row);
    };
    await readRegularFileChunks(source, { maxBytes: MAX_LABELS_CSV_BYTES, what: 'The labels CSV' }, (chunk) => take(parser.push(decoder.write(chunk))));
    take(parser.push(decoder.end()));
    take(parser.end());
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new GraftError('bad-request', `${source} is not valid CSV: ${error.message}`);
    if (error instanceof FileRefusal) throw fileRefusalError(error);
    throw error;
  }
  return records;
}

/** Pins each image to its split from the CSV; returns the changes for the journal. */
function pinSplits(db: Database, wanted: ReadonlyMap<number, SplitName>): SplitChange[] {
  const before = currentSplits(db, [...wanted.keys()]);
  const setSplit = db.prepare(
    `INSERT INTO splits (image_id, split, pinned, seed) VALUES (?, ?, 1, NULL)
     ON CONFLICT (image_id) DO UPDATE SET split = excluded.split, pinned = 1, seed = NULL`,
  );
  const changes: SplitChange[] = [];
  for (const [imageId, split] of wanted) {
    const after: SplitState = { split, pinned: true, seed: null };
    const previous = before.get(imageId) ?? null;
    if (sameSplit(previous, after)) continue;
    setSplit.run(imageId, split);
    changes.push({ imageId, before: previous, after });
  }
  return changes;
}
