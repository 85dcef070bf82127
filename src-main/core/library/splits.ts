import { GraftError } from '../../api/errors';
import type { Project } from '../project/project';
import { checkImageIds } from './labels';
import { SPLIT_NAMES, type SplitName } from '../../api/types/library';
import { placeClass, type SplitCandidate, type SplitFractions } from './split-math';
import type { SplitSettings, ClassSplitCounts, SplitCounts } from '../../api/types/library';
export type { SplitSettings, ClassSplitCounts, SplitCounts } from '../../api/types/library';

/** The default train/validation/test fractions. */
export const DEFAULT_SPLIT_FRACTIONS: SplitFractions = { train: 0.8, validation: 0.1, test: 0.1 };

function checkFractions(fractions: SplitFractions): void {
  for (const name of SPLIT_NAMES) {
    const value = fractions[name];
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      throw new GraftError('bad-request', `The ${name} fraction must be between 0 and 1.`);
    }
  }
  const sum = fractions.train + fractions.validation + fractions.test;
  if (Math.abs(sum - 1) > 1e-6) throw new GraftError('bad-request', `Split fractions must add up to 1 (they add up to ${sum}).`);
}

/**
 * Assigns train/validation/test to every labelled, present image, stratified per class and
 * seeded so the same seed gives the same splits. Pinned images keep theirs. Unlabelled and
 * missing images lose any split that is not pinned. One transaction.
 */
export function assignSplits(project: Project, fractions: SplitFractions = DEFAULT_SPLIT_FRACTIONS, seed = 42): SplitCounts {
  checkFractions(fractions);
  if (!Number.isSafeInteger(seed)) throw new GraftError('bad-request', 'The split seed must be a whole number.');
  const db = project.db;
  db.transaction(() => {
    const rows = db
      .prepare(
        `SELECT i.id, i.content_hash AS contentHash, l.class_id AS classId, CASE WHEN s.pinned = 1 THEN s.split END AS pinned
         FROM images i JOIN labels l ON l.image_id = i.id LEFT JOIN splits s ON s.image_id = i.id
         WHERE i.missing = 0`,
      )
      .all() as (SplitCandidate & { classId: number })[];
    const byClass = new Map<number, SplitCandidate[]>();
    for (const row of rows) {
      const list = byClass.get(row.classId) ?? [];
      list.push(row);
      byClass.set(row.classId, list);
    }
    db.prepare('DELETE FROM splits WHERE pinned = 0').run();
    const insert = db.prepare('INSERT INTO splits (image_id, split, pinned, seed) VALUES (?, ?, 0, ?) ON CONFLICT (image_id) DO NOTHING');
    for (const images of byClass.values()) {
      for (const [id, split] of placeClass(images, fractions, seed)) insert.run(id, split, seed);
    }
    db.prepare(
      `INSERT INTO split_settings (id, train, validation, test, seed, assigned_at) VALUES (1, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET train = excluded.train, validation = excluded.validation, test = excluded.test,
         seed = excluded.seed, assigned_at = excluded.assigned_at`,
    ).run(fractions.train, fractions.validation, fractions.test, seed, new Date().toISOString());
  })();
  return splitCounts(project);
}

/** The fractions and seed of the last assignment, or null before the first. */
export function splitSettings(project: Project): SplitSettings | null {
  const row = project.db
    .prepare('SELECT train, validation, test, seed, assigned_at AS assignedAt FROM split_settings WHERE id = 1')
    .get() as SplitSettings | undefined;
  return row ?? null;
}

/** Puts images in a split by hand and pins them there, so reassigning keeps them. */
export function pinSplit(project: Project, imageIds: readonly number[], split: SplitName): { pinned: number } {
  if (!SPLIT_NAMES.includes(split)) throw new GraftError('bad-request', `Unknown split "${String(split)}".`);
  const ids = JSON.stringify(checkImageIds(imageIds));
  const info = project.db
    .prepare(
      `INSERT INTO splits (image_id, split, pinned, seed) SELECT i.id, ?, 1, NULL FROM images i WHERE i.id IN (SELECT value FROM json_each(?))
       ON CONFLICT (image_id) DO UPDATE SET split = excluded.split, pinned = 1, seed = NULL`,
    )
    .run(split, ids);
  return { pinned: info.changes };
}

/** Unpins images: they keep their split until the next assignment moves them. */
export function unpinSplit(project: Project, imageIds: readonly number[]): { unpinned: number } {
  const ids = JSON.stringify(checkImageIds(imageIds));
  const info = project.db.prepare('UPDATE splits SET pinned = 0 WHERE pinned = 1 AND image_id IN (SELECT value FROM json_each(?))').run(ids);
  return { unpinned: info.changes };
}

/** Counts labelled, present images per class and split. */
export function splitCounts(project: Project): SplitCounts {
  const rows = project.db
    .prepare(
      `SELECT c.id AS classId, c.name, s.split, COUNT(i.id) AS n
       FROM classes c
       LEFT JOIN labels l ON l.class_id = c.id
       LEFT JOIN images i ON i.id = l.image_id AND i.missing = 0
       LEFT JOIN splits s ON s.image_id = i.id
       GROUP BY c.id, s.split ORDER BY c.sort_order, c.id`,
    )
    .all() as { classId: number; name: string; split: SplitName | null; n: number }[];
  const perClass = new Map<number, ClassSplitCounts>();
  const totals = { train: 0, validation: 0, test: 0, none: 0 };
  for (const row of rows) {
    const entry = perClass.get(row.classId) ?? { classId: row.classId, name: row.name, train: 0, validation: 0, test: 0, none: 0 };
    const key = row.split ?? 'none';
    entry[key] += row.n;
    totals[key] += row.n;
    perClass.set(row.classId, entry);
  }
  return { perClass: [...perClass.values()], totals };
}
