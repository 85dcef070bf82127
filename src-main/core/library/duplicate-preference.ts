import path from 'node:path';
import { classFromFolders } from './folder-classes';

/**
 * How much a copy's folder says about the photo: 2 = it lies in a class folder at the chosen
 * level, 1 = it lies in a class folder at another level (a stray folder: with "each photo's own
 * folder", one deeper or shallower than where the classes are), 0 = it names no class.
 */
export type CopyRank = 0 | 1 | 2;

/** One file holding a photo's bytes, with what its folders would label it. */
export interface PhotoCopy {
  path: string;
  className: string | null;
  rank: CopyRank;
}

/** What an import keeps of a photo found at several paths. */
export type CopyPreference =
  /** One copy wins: the row points at it and takes its class (null: none of them names one). */
  | { kind: 'keep'; keep: PhotoCopy; label: string | null; others: PhotoCopy[] }
  /** The best copies name different classes: kept unlabelled for the user to decide. */
  | { kind: 'conflict'; keep: PhotoCopy; conflicting: PhotoCopy[]; others: PhotoCopy[] };

/**
 * Chooses among copies of the same photo: a copy in a class folder beats a stray or loose one;
 * copies of the best rank that disagree on the class are a conflict. Ties go to the path that
 * sorts first, so the choice depends only on the set of files, never on which one was read first.
 */
export function preferCopy(copies: readonly PhotoCopy[]): CopyPreference {
  if (copies.length === 0) throw new Error('preferCopy needs at least one copy');
  const sorted = [...copies].sort((a, b) => b.rank - a.rank || comparePaths(a.path, b.path));
  const keep = sorted[0]!;
  const best = sorted.filter((copy) => copy.rank === keep.rank);
  const classes = new Set(best.map((copy) => copy.className));
  if (keep.rank > 0 && classes.size > 1) {
    return { kind: 'conflict', keep, conflicting: best, others: sorted.filter((copy) => copy.rank !== keep.rank) };
  }
  return { kind: 'keep', keep, label: keep.className, others: sorted.slice(1) };
}

/** Byte order of the UTF-16 code units: the order SQLite and the walk use for paths too. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The folder depth that holds the classes when each photo's own folder names its class: the
 * depth most photos sit at (ties to the shallower one). Null when no photo is in a subfolder.
 */
export function classLevel(photosPerDepth: ReadonlyMap<number, number>): number | null {
  let level: number | null = null;
  let most = 0;
  for (const [depth, count] of [...photosPerDepth].sort((a, b) => a[0] - b[0])) {
    if (depth < 1 || count <= most) continue;
    level = depth;
    most = count;
  }
  return level;
}

/** How an import names classes after folders, to rank any copy it finds by its path. */
export interface FolderLabelling {
  root: string;
  /** False: folder names are not classes (every copy ranks 0). */
  labels: boolean;
  labelDepth: number | undefined;
  /** The depth of the class folders when `labelDepth` is unset (see `classLevel`). */
  classLevel: number | null;
}

/** The folders between `root` and a file's folder. */
export function foldersBelow(root: string, file: string): string[] {
  const relative = path.relative(root, path.dirname(file));
  return relative === '' ? [] : relative.split(path.sep);
}

/** What a file's folders say about it under this import's labelling. */
export function copyAt(labelling: FolderLabelling, file: string): PhotoCopy {
  const dirs = foldersBelow(labelling.root, file);
  const className = labelling.labels ? classFromFolders(dirs, labelling.labelDepth) : null;
  if (className === null) return { path: file, className, rank: 0 };
  const stray = labelling.labelDepth === undefined && labelling.classLevel !== null && dirs.length !== labelling.classLevel;
  return { path: file, className, rank: stray ? 1 : 2 };
}
