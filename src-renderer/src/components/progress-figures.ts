import type { ImportProgress } from '../../../src-main/api/types/import';
import type { ImageFolderProgress } from '../../../src-main/api/types/library';

/** What a progress bar shows, whatever the job: counts, rate, time left and a line of words. */
export interface ProgressFigures {
  done: number;
  total: number;
  /** Items per second; null while unknown. */
  perSecond: number | null;
  /** Seconds left; null while unknown. */
  etaSeconds: number | null;
  message: string;
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** The figures of an import: files read of those found, and what became of them. */
export function importFigures(p: ImportProgress): ProgressFigures {
  const message =
    p.phase === 'scanning'
      ? `Scanning… ${plural(p.total, 'file', 'files')} found`
      : `${p.added.toLocaleString('en-US')} added, ${plural(p.duplicates, 'duplicate', 'duplicates')}, ${p.skipped.toLocaleString('en-US')} skipped`;
  return { done: p.done, total: p.total, perSecond: p.phase === 'scanning' ? null : p.imagesPerSecond, etaSeconds: p.etaSeconds, message };
}

/** The figures of an ImageFolder export: files written of those planned. */
export function folderExportFigures(p: ImageFolderProgress, message: string): ProgressFigures {
  return { done: p.done, total: p.total, perSecond: p.imagesPerSecond, etaSeconds: p.etaSeconds, message };
}
