import { GraftError } from '../../api/errors';
import { tidyClassName } from './classes';

/** Checks a label depth option: a whole number ≥ 1, or unset for "each photo's own folder". */
export function checkLabelDepth(depth: unknown): number | undefined {
  if (depth === undefined) return undefined;
  if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 1 || depth > 64) {
    throw new GraftError('bad-request', 'Label depth must be a whole number from 1 (the first level of subfolders) upwards.');
  }
  return depth;
}

/**
 * The class a photo gets from its folders: with a depth, the folder that many levels below
 * the imported folder; without, its own folder. Photos directly in the imported folder (or
 * shallower than the depth) get none. The folder name is tidied into a valid class name (as
 * a labels CSV would need it); a name with nothing left after tidying gives none.
 */
export function classFromFolders(dirs: readonly string[], depth: number | undefined): string | null {
  if (dirs.length === 0) return null;
  const name = depth === undefined ? dirs[dirs.length - 1] : dirs[depth - 1];
  return name === undefined ? null : tidyClassName(name);
}
