import type { DuplicateFile, SkippedFile } from './library';

/** How an import treats the folder it is given. */
export interface ImportOptions {
  /** Name classes after folders and label the photos inside them. */
  labelsFromSubfolders?: boolean;
  /**
   * Which folder names the class, counted from the imported folder (1 = its direct
   * subfolders, 2 = the ones below those …). Unset: each photo's own folder.
   * Implies `labelsFromSubfolders`.
   */
  labelDepth?: number;
  /** Import SVG files too (off by default: they render, but are rarely photos). */
  allowSvg?: boolean;
  /** Largest width × height accepted; bigger headers are refused as decompression bombs. */
  maxPixels?: number;
  /** Write grid thumbnails while importing (true: default size; a number: that edge in pixels). */
  thumbnails?: boolean | number;
  /** Photos decoded at once; defaults to twice the CPU count, at most 8. */
  concurrency?: number;
  /** Files written per database transaction. */
  batchSize?: number;
  /**
   * Follow links that lead out of the folder (default true, as a file manager would). Imports
   * started from a browser under `graft serve` pass false: they stay inside the chosen folder.
   */
  followLinksOutside?: boolean;
}

/** Where an import stands, pushed to the caller while it runs. */
export interface ImportProgress {
  /** `scanning` counts files first so `total` is known; `importing` reads them; then one final event. */
  phase: 'scanning' | 'importing' | 'done' | 'cancelled';
  done: number;
  total: number;
  added: number;
  skipped: number;
  duplicates: number;
  /** Files handled per second so far in the importing phase. */
  imagesPerSecond: number;
  /** Seconds left at the current rate; null until a rate is known. */
  etaSeconds: number | null;
}

/** Cancellation and progress hooks for a running import. */
export interface ImportControl {
  signal?: AbortSignal;
  /** Holds the import between files while paused. */
  pause?: { wait(signal?: AbortSignal): Promise<void> };
  onProgress?: (progress: ImportProgress) => void;
  /** Called after each batch of rows is committed (views refresh their counts then). */
  onCommitted?: () => void;
  /**
   * When another import holds the project (another process, say), wait for it instead of
   * failing; called once with who holds it when the wait begins.
   */
  waitForLock?: (holder: { pid: number; host: string }) => void;
}

/** What an import did, as plain data. */
export interface ImportSummary {
  folder: string;
  /** Id of this run in the project's import log. */
  runId: number;
  added: number;
  /** Files whose bytes changed since the last import (row updated, label kept). */
  updated: number;
  unchanged: number;
  /** Moved or renamed files matched to their old row by content (label kept). */
  relinked: number;
  /** Rows under this folder whose file is gone, newly flagged missing. */
  missing: number;
  /** Files not imported because their bytes are kept at another path, sorted by path. */
  duplicates: DuplicateFile[];
  /** The same photo in folders naming different classes, for the user to label; sorted by path. */
  conflicts: LabelConflict[];
  /** Sorted by path. */
  skipped: SkippedFile[];
  /** Folder-derived class name → number of imported photos under it (empty without folder labels). */
  classes: Record<string, number>;
  cancelled: boolean;
  seconds: number;
  imagesPerSecond: number;
}

/**
 * One photo found in folders that name different classes: kept once (at `path`) without a
 * folder label, since the import cannot tell which class is right.
 */
export interface LabelConflict {
  /** Where the photo is kept in the library. */
  path: string;
  imageId: number;
  /** Each copy with the class its folder names (at least two different classes). */
  copies: { path: string; className: string }[];
  /** The label the photo has after the import: null, or one the user had given it. */
  label: string | null;
}
