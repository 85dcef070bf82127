import fs from 'node:fs';
import path from 'node:path';
import { GraftError } from '../../api/errors';
import type { Project } from '../project/project';
import { checkLabelDepth, classFromFolders } from './folder-classes';
import { walkFolder, type WalkFs, type WalkOptions } from './folder-walk';
import { FileImporter, nodeImportFileIo, type FileOutcome, type ImportFileIo } from './import-file';
import { finishImportRun, markMissingUnder, startImportRun } from './import-run-log';
import type { ImportControl, ImportOptions, ImportProgress, ImportSummary } from '../../api/types/import';
import type { DuplicateFile } from '../../api/types/library';
import { ImportWriter, type Demotion } from './import-writer';
import { acquireImportLock } from './import-lock';
import { mergeDuplicateRows } from './merge-duplicates';
import { classLevel, comparePaths, type FolderLabelling } from './duplicate-preference';
import { resolveDuplicates, type FoundDuplicate } from './resolve-duplicates';
import { hasImageExtension } from './image-formats';
import { DEFAULT_MAX_PIXELS } from './image-probe';
import { RateMeter } from '../../base/rate-meter';
import { defaultDecodeConcurrency } from '../../base/semaphore';
import { checkThumbnailSize, DEFAULT_THUMBNAIL_SIZE, thumbnailPath } from './thumbnails';

/** File access an import uses; tests inject failures here instead of stubbing globals. */
export interface ImportIo {
  walk?: WalkFs;
  file?: ImportFileIo;
  /**
   * Run without the project's import lock, as an older Graft would: only for tests that show
   * imports interleaving still keep each photo once.
   */
  withoutLock?: boolean;
}

const DEFAULT_BATCH_SIZE = 500;
/** Bounds one write transaction (and the writes held in memory before it). */
const MAX_BATCH_SIZE = 10_000;

/**
 * Imports a folder of photos recursively into the project. Bad files never stop it: each is
 * listed in `skipped` with its reason. Re-importing touches only new or changed files, and a
 * moved file is relinked by its content hash with its label kept. Cancelling through the
 * signal stops after the files in flight; everything committed before is complete.
 */
export async function importFolder(
  project: Project,
  folder: string,
  options: ImportOptions = {},
  control: ImportControl = {},
  io: ImportIo = {},
): Promise<ImportSummary> {
  const root = path.resolve(folder);
  const settings = resolveOptions(options);
  // One import per project at a time, across processes (see import-lock.ts).
  const release = io.withoutLock ? () => undefined : await acquireImportLock(project, control);
  try {
    await checkFolder(root);
    return await runImport(project, root, settings, control, io);
  } finally {
    release();
  }
}

type Settings = ReturnType<typeof resolveOptions>;

function resolveOptions(options: ImportOptions) {
  const labelDepth = checkLabelDepth(options.labelDepth);
  const thumbnailSize =
    options.thumbnails === true ? DEFAULT_THUMBNAIL_SIZE : typeof options.thumbnails === 'number' ? checkThumbnailSize(options.thumbnails) : null;
  const concurrency = options.concurrency ?? defaultDecodeConcurrency();
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new GraftError('bad-request', 'Import concurrency must be a whole number from 1 to 64.');
  }
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  // Lowering the limit is allowed; raising it would let a client switch off the bomb check.
  if (!Number.isSafeInteger(maxPixels) || maxPixels < 1 || maxPixels > DEFAULT_MAX_PIXELS) {
    throw new GraftError('bad-request', `The pixel limit must be a whole number from 1 to ${DEFAULT_MAX_PIXELS}.`);
  }
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw new GraftError('bad-request', `The import batch size must be a whole number from 1 to ${MAX_BATCH_SIZE}.`);
  }
  return {
    labels: options.labelsFromSubfolders === true || labelDepth !== undefined,
    labelDepth,
    allowSvg: options.allowSvg === true,
    maxPixels,
    thumbnailSize,
    concurrency,
    batchSize,
    linksOutside: options.followLinksOutside === false ? ('skip' as const) : ('follow' as const),
  };
}

async function checkFolder(root: string): Promise<void> {
  let stats: fs.Stats;
  try {
    stats = await fs.promises.stat(root);
  } catch {
    throw new GraftError('not-found', `The folder ${root} does not exist or cannot be read.`);
  }
  if (!stats.isDirectory()) throw new GraftError('bad-request', `${root} is a file; choose the folder that holds the photos.`);
}

async function runImport(project: Project, root: string, settings: Settings, control: ImportControl, io: ImportIo): Promise<ImportSummary> {
  const started = performance.now();
  // An internal controller so an unexpected failure in one worker stops the others too.
  const stop = new AbortController();
  const signal = control.signal ? AbortSignal.any([control.signal, stop.signal]) : stop.signal;
  const exclude = [project.layout.dir];
  const runId = startImportRun(project.db, root);
  const summary: ImportSummary = {
    folder: root,
    runId,
    added: 0,
    updated: 0,
    unchanged: 0,
    relinked: 0,
    missing: 0,
    duplicates: [],
    conflicts: [],
    skipped: [],
    classes: {},
    cancelled: false,
    seconds: 0,
    imagesPerSecond: 0,
  };
  const seen = new Set<number>();
  /** What each row seen in this run was counted as, so a later merge can take it back. */
  const countedAs = new Map<number, 'added' | 'updated' | 'relinked' | 'unchanged'>();
  const progress = progressReporter(control.onProgress, summary);
  let status: 'done' | 'cancelled' | 'failed' = 'failed';
  try {
    progress.scanning(0);
    const { total, photosPerDepth } = await countFiles(root, { signal, exclude, fs: io.walk, linksOutside: settings.linksOutside }, progress.scanning);
    const labelling: FolderLabelling = {
      root,
      labels: settings.labels,
      labelDepth: settings.labelDepth,
      classLevel: classLevel(photosPerDepth),
    };
    /** Files whose bytes another path held when read; settled once the walk is over. */
    const found: FoundDuplicate[] = [];
    /** Duplicates only a commit found (imports interleaving without the lock): reported as they are. */
    const committedDuplicates: DuplicateFile[] = [];
    const importer = new FileImporter(
      project.db,
      {
        allowSvg: settings.allowSvg,
        maxPixels: settings.maxPixels,
        thumbnailFor:
          settings.thumbnailSize === null
            ? null
            : (hash) => ({ size: settings.thumbnailSize!, file: thumbnailPath(project.layout, hash, settings.thumbnailSize!) }),
      },
      io.file ?? nodeImportFileIo,
      signal,
    );
    const writer = new ImportWriter(project.db, runId, {
      batchSize: settings.batchSize,
      maxBatchMs: 500,
      onCommitted: (writes, ids) => {
        importer.committed(writes);
        for (const id of ids) seen.add(id);
        control.onCommitted?.();
      },
      onDemoted: (demotion) => {
        if (demotion.kind === 'duplicate') committedDuplicates.push({ path: demotion.path, duplicateOf: demotion.duplicateOf });
        recount(summary, demotion, countedAs);
      },
    });
    const entries = walkFolder(root, { signal, exclude, fs: io.walk, linksOutside: settings.linksOutside });
    let done = 0;
    const record = (outcome: FileOutcome) => {
      done++;
      tally(summary, outcome);
      if (outcome.kind === 'skipped') writer.add({ kind: 'issue', issue: 'skipped', path: outcome.path, reason: outcome.reason });
      else if (outcome.kind === 'duplicate') found.push(outcome);
      else {
        if (outcome.rowId !== null) {
          seen.add(outcome.rowId);
          countedAs.set(outcome.rowId, outcome.kind);
        }
        if (outcome.write) writer.add(outcome.write);
      }
      progress.importing(done, Math.max(total, done));
    };
    const worker = async () => {
      try {
        await drain();
      } catch (error) {
        stop.abort(error);
        throw error;
      }
    };
    const drain = async () => {
      while (!signal.aborted) {
        // A paused import holds here, between files; what it committed stays committed.
        await control.pause?.wait(signal).catch(() => undefined);
        if (signal.aborted) return;
        const next = await entries.next();
        if (next.done) return;
        const entry = next.value;
        if (entry.kind === 'skip') {
          summary.skipped.push({ path: entry.path, reason: entry.reason });
          writer.add({ kind: 'issue', issue: 'skipped', path: entry.path, reason: entry.reason });
          continue;
        }
        const className = settings.labels ? classFromFolders(entry.dirs, settings.labelDepth) : null;
        record(await importer.importFile(entry.path, className));
      }
    };
    const results = await Promise.allSettled(Array.from({ length: settings.concurrency }, () => worker()));
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    // The worker that failed first stops the others, which then fail with AbortError: report the cause.
    const cause = errors.find((error) => !isAbortError(error));
    if (cause !== undefined) throw cause;
    if (errors.length > 0 && !control.signal?.aborted) throw errors[0];
    await entries.return(undefined);
    writer.flush();
    summary.cancelled = control.signal?.aborted === true;
    // Only a complete walk knows which files are gone, and which rows hold the same bytes twice.
    if (!summary.cancelled) {
      for (const row of mergeDuplicateRows(project.db, root)) {
        const kind = countedAs.get(row.id);
        if (kind) summary[kind]--;
        found.push(row);
      }
    }
    // A cancelled import settles what it found too: its report must not depend on read order.
    const resolution = resolveDuplicates(project.db, writer, labelling, found, seen);
    for (const [name, delta] of resolution.classDelta) {
      const left = (summary.classes[name] ?? 0) + delta;
      if (left > 0) summary.classes[name] = left;
      else delete summary.classes[name];
    }
    summary.duplicates = [...committedDuplicates, ...resolution.duplicates].sort((a, b) => comparePaths(a.path, b.path));
    summary.conflicts = resolution.conflicts;
    summary.skipped.sort((a, b) => comparePaths(a.path, b.path));
    if (!summary.cancelled) summary.missing = markMissingUnder(project.db, root, seen);
    status = summary.cancelled ? 'cancelled' : 'done';
    summary.seconds = (performance.now() - started) / 1000;
    summary.imagesPerSecond = summary.seconds > 0 ? done / summary.seconds : 0;
    progress.finished(summary.cancelled, done, Math.max(total, done));
    return summary;
  } finally {
    finishImportRun(project.db, runId, status, summary);
  }
}

function isAbortError(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'AbortError';
}

/** Moves an insert that became something else at commit to what it really was (see Demotion). */
function recount(summary: ImportSummary, demotion: Demotion, countedAs: Map<number, 'added' | 'updated' | 'relinked' | 'unchanged'>): void {
  summary.added--;
  if (demotion.kind === 'duplicate') {
    summary.duplicates.push({ path: demotion.path, duplicateOf: demotion.duplicateOf });
    if (demotion.className !== null) {
      const left = (summary.classes[demotion.className] ?? 1) - 1;
      if (left > 0) summary.classes[demotion.className] = left;
      else delete summary.classes[demotion.className];
    }
    return;
  }
  const kind = demotion.changed ? 'updated' : 'unchanged';
  summary[kind]++;
  countedAs.set(demotion.id, kind);
}

function tally(summary: ImportSummary, outcome: FileOutcome): void {
  switch (outcome.kind) {
    case 'skipped':
      summary.skipped.push({ path: outcome.path, reason: outcome.reason });
      return;
    case 'duplicate':
      summary.duplicates.push({ path: outcome.path, duplicateOf: outcome.duplicateOf });
      return;
    default:
      summary[outcome.kind]++;
      if (outcome.className !== null) summary.classes[outcome.className] = (summary.classes[outcome.className] ?? 0) + 1;
  }
}

async function countFiles(
  root: string,
  walk: WalkOptions,
  report: (found: number) => void,
): Promise<{ total: number; photosPerDepth: Map<number, number> }> {
  let total = 0;
  // Where the photos sit tells which folder level holds the classes (see duplicate-preference.ts).
  const photosPerDepth = new Map<number, number>();
  for await (const entry of walkFolder(root, walk)) {
    if (entry.kind !== 'file') continue;
    total++;
    if (hasImageExtension(entry.path, true)) photosPerDepth.set(entry.dirs.length, (photosPerDepth.get(entry.dirs.length) ?? 0) + 1);
    if (total % 1000 === 0) report(total);
  }
  return { total, photosPerDepth };
}

/** Reports every step with its rate; the job registry thins the stream for clients. */
function progressReporter(onProgress: ImportControl['onProgress'], summary: ImportSummary) {
  const meter = new RateMeter();
  const emit = (phase: ImportProgress['phase'], done: number, total: number) => {
    if (!onProgress) return;
    const rate = phase === 'importing' ? meter.read(done, total) : { perSecond: summary.imagesPerSecond, etaSeconds: phase === 'scanning' ? null : 0 };
    onProgress({
      phase,
      done,
      total,
      added: summary.added,
      skipped: summary.skipped.length,
      duplicates: summary.duplicates.length,
      imagesPerSecond: rate.perSecond,
      etaSeconds: rate.etaSeconds,
    });
  };
  return {
    scanning: (found: number) => emit('scanning', 0, found),
    importing: (done: number, total: number) => emit('importing', done, total),
    finished: (cancelled: boolean, done: number, total: number) => emit(cancelled ? 'cancelled' : 'done', done, total),
  };
}
