import path from 'node:path';
import { fileRefusalError, GraftError } from '../api/errors';
import { FileRefusal, openRegularFile } from '../base/regular-file';

/** Which CSV Graft writes at a target: how to name it in messages and how its first line starts. */
export interface CsvTargetKind {
  /** What the file holds, e.g. "labels" or "predictions" ("Export labels to a file ending in .csv"). */
  what: string;
  /** The file's kind as the refusal names it, e.g. "a Graft labels export". */
  kindName: string;
  /** True when the file's first bytes are a header this kind writes. */
  headerMatches(head: string): boolean;
}

/**
 * The absolute path a CSV may be written to: a new `.csv`, or one this kind wrote before (its
 * header is checked), so an export never replaces an unrelated file. A pipe or a device is refused
 * without opening it for a blocking read.
 */
export async function checkCsvTarget(file: string, kind: CsvTargetKind): Promise<string> {
  const target = path.resolve(file);
  if (path.extname(target).toLowerCase() !== '.csv') {
    throw new GraftError('bad-request', `Write ${kind.what} to a file ending in .csv (got ${path.basename(target)}).`);
  }
  let head: string;
  try {
    const { handle } = await openRegularFile(target, { maxBytes: Number.MAX_SAFE_INTEGER, what: 'The CSV file' });
    try {
      const buffer = Buffer.alloc(64);
      head = buffer.subarray(0, (await handle.read(buffer, 0, 64, 0)).bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof FileRefusal && error.reason === 'missing') return target;
    if (error instanceof FileRefusal) throw fileRefusalError(error);
    throw new GraftError('io', `Cannot check ${target}: ${(error as Error).message}`);
  }
  if (!kind.headerMatches(head)) {
    throw new GraftError('bad-request', `${target} already exists and is not ${kind.kindName}; choose a new file name.`);
  }
  return target;
}
