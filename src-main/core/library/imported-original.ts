import fs from 'node:fs';
import { GraftError } from '../../api/errors';

/** What the import recorded of an original, to tell whether it is still that file. */
export interface ImportedOriginal {
  path: string;
  size: number;
  /** Modification time in whole milliseconds. */
  mtimeMs: number;
}

/** True while `stats` are those of the regular file the import recorded (size and modification time). */
export function isImportedFile(stats: fs.Stats, image: ImportedOriginal): boolean {
  return stats.isFile() && stats.size === image.size && Math.floor(stats.mtimeMs) === image.mtimeMs;
}

/** The refusal for an original that is no longer the file the import read. */
export function changedSinceImport(image: ImportedOriginal): GraftError {
  return new GraftError('not-found', `${image.path} has changed since it was imported — import its folder again to see it.`);
}

/** The refusal for an original that cannot be read any more. */
export function unreadableOriginal(image: ImportedOriginal): GraftError {
  return new GraftError('not-found', `${image.path} cannot be read any more. Import its folder again to relink it.`);
}

/**
 * Refuses an original that is not the file the import recorded: anything made from it (a
 * thumbnail or a display copy, cached under the imported content's hash) would show other pixels.
 */
export async function checkImportedOriginal(image: ImportedOriginal): Promise<void> {
  let stats: fs.Stats;
  try {
    stats = await fs.promises.stat(image.path);
  } catch {
    throw unreadableOriginal(image);
  }
  if (!isImportedFile(stats, image)) throw changedSinceImport(image);
}
