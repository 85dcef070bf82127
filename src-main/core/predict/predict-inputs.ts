import fs from 'node:fs';
import path from 'node:path';
import type { PredictedImage } from '../../api/types/predict';
import { openAtomicFile } from '../../base/atomic-write';
import { csvRow } from '../../base/csv';
import { GraftError } from '../../api/errors';
import { checkCsvTarget } from '../csv-target';
import { walkFolder } from '../library/folder-walk';
import { hasImageExtension } from '../library/image-formats';

/** The first columns of a predictions CSV; one column per class follows. */
export const PREDICTIONS_CSV_HEADER = ['path', 'label', 'probability'] as const;

/**
 * The image files named: files as given (one that cannot be read is reported by the engine
 * with its reason), folders walked recursively for image files by extension, in walk order.
 * Repeats are dropped, keeping the first.
 */
export async function collectImagePaths(paths: readonly string[], signal?: AbortSignal): Promise<string[]> {
  const out: string[] = [];
  for (const given of paths) {
    const target = path.resolve(given);
    const info = await fs.promises.stat(target).catch(() => null);
    if (!info?.isDirectory()) {
      out.push(target);
      continue;
    }
    for await (const entry of walkFolder(target, { signal })) {
      if (entry.kind === 'file' && hasImageExtension(entry.path, false)) out.push(entry.path);
    }
  }
  return [...new Set(out)];
}

/**
 * The file a predictions CSV may be written to: a `.csv` that does not exist yet, or an
 * earlier predictions CSV (it starts with `path,label,probability`). The path comes from a
 * request, so this keeps an export from ever replacing an unrelated file.
 */
export async function checkPredictionsCsvTarget(file: string): Promise<string> {
  const header = PREDICTIONS_CSV_HEADER.join(',');
  return checkCsvTarget(file, { what: 'predictions', kindName: 'a Graft predictions CSV', headerMatches: (head) => head.startsWith(`${header},`) || head.startsWith(`${header}\r`) });
}

/** Probabilities as CSV text: enough digits to round-trip float32. */
function number(value: number): string {
  return String(Number(value.toPrecision(9)));
}

/**
 * Writes `path,label,probability`, then one column per class (that class's probability), a
 * row per predicted image, streamed to a file written aside and renamed at the end.
 */
export async function writePredictionsCsv(file: string, classes: readonly string[], rows: readonly PredictedImage[]): Promise<void> {
  const target = await checkPredictionsCsvTarget(file);
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  const out = await openAtomicFile(target);
  try {
    let lines = [csvRow([...PREDICTIONS_CSV_HEADER, ...classes])];
    for (const row of rows) {
      const top = row.top[0];
      lines.push(csvRow([row.path, top?.label ?? '', top ? number(top.probability) : '', ...row.probabilities.map(number)]));
      if (lines.length >= 1000) {
        await out.write(lines.join('\r\n') + '\r\n');
        lines = [];
      }
    }
    if (lines.length > 0) await out.write(lines.join('\r\n') + '\r\n');
    await out.commit();
  } catch (error) {
    await out.abort();
    throw new GraftError('io', `Cannot write ${target}: ${(error as Error).message}`);
  }
}
