import { GraftError } from '../api/errors';
import type { SplitCounts } from '../api/types/library';
import type { RunDetail, RunStage, RunStatus, TrainingConfig } from '../api/types/runs';
import type { ClassificationReport, EpochRecord } from '../api/types/training';
import { coalesce } from '../base/coalesce';
import type { AppClient } from './app-client';
import type { CliIo } from './command';
import { DEFAULT_SPLIT_PERCENT, DEFAULT_SPLIT_SEED, splitTable } from './commands/splits';
import { PROGRESS_INTERVAL_MS } from './progress-printer';
import { epochLine, trainProgressLine } from './training-text';

/** An evaluation as `graft train --json` reports it: the checkpoint and the metrics. */
export interface EvaluationReport extends ClassificationReport {
  checkpoint: 'best' | 'last';
  images: number;
}

/** What `graft train --json` prints. */
export interface TrainReport {
  runId: number;
  name: string;
  status: RunStatus;
  arch: string;
  classes: string[];
  backend: string | null;
  runtime: string | null;
  history: (EpochRecord & { stage: RunStage })[];
  best: RunDetail['best'];
  cache: { hits: number; misses: number; bytes: number } | null;
  seconds: number | null;
  /** Images per split the run trained and was measured on. */
  splits: RunDetail['splitCounts'];
  /** The latest evaluation on the test split (null when the run has no test images or did not finish). */
  test: EvaluationReport | null;
  validation: EvaluationReport | null;
  /** Set when the project had no splits and the default ones were assigned first. */
  splitsAssigned: SplitCounts | null;
  /** The command that continues the run, when it was interrupted and has a checkpoint. */
  resume: string | null;
  error: string | null;
  dir: string;
}

/** How to start the run: a new config, or a run to resume. */
export type TrainingRequest = { config: TrainingConfig; name?: string } | { resumeRunId: number };

/**
 * Assigns the default splits when the project has labelled images and none has a split yet
 * (and says so); returns the counts it assigned, or null when splits were already there.
 */
export async function ensureSplits(client: AppClient, io: CliIo, json: boolean): Promise<SplitCounts | null> {
  const { counts } = await client.call('splits.summary');
  const { train, validation, test, none } = counts.totals;
  if (train + validation + test > 0 || none === 0) {
    if (none > 0 && !json) io.err(`Note: ${none} labelled images have no split and are left out (graft splits assigns them).`);
    return null;
  }
  const assigned = await client.call('splits.assign', {
    train: DEFAULT_SPLIT_PERCENT.train / 100,
    validation: DEFAULT_SPLIT_PERCENT.validation / 100,
    test: DEFAULT_SPLIT_PERCENT.test / 100,
    seed: DEFAULT_SPLIT_SEED,
  });
  if (!json) {
    io.err(`The project had no splits: assigned the default ${DEFAULT_SPLIT_PERCENT.train}/${DEFAULT_SPLIT_PERCENT.validation}/${DEFAULT_SPLIT_PERCENT.test} (seed ${DEFAULT_SPLIT_SEED}; graft splits changes them):`);
    io.err(splitTable(assigned));
  }
  return assigned;
}

/**
 * Runs a training job to its end through the services: prints progress (throttled) and every
 * epoch on stderr, cancels on `signal` (the run keeps its last checkpoint), and returns the
 * run as recorded. A run that fails throws its error, naming the run.
 */
export async function trainToEnd(
  client: AppClient,
  request: TrainingRequest,
  options: {
    projectDir: string;
    io: CliIo;
    json: boolean;
    signal: AbortSignal;
    totalEpochs: number;
    splitsAssigned?: SplitCounts | null;
    /** A line saying what trains, printed once the run has started. */
    about?: string;
  },
): Promise<TrainReport> {
  const { io, json, signal } = options;
  const { jobId } = 'resumeRunId' in request ? await client.call('training.resume', { runId: request.resumeRunId }) : await client.call('training.start', request);
  const started = await client.call('jobs.get', { jobId });
  const runId = 'resumeRunId' in request ? request.resumeRunId : started.kind === 'train' ? started.progress?.runId : undefined;
  if (runId === undefined) throw new GraftError('internal', 'The training job did not say which run it is.');
  if (!json) {
    if (options.about) io.err(options.about);
    io.err(`${'resumeRunId' in request ? 'Resuming' : 'Started'} run ${runId}. Ctrl+C stops it after the current batch; it can be resumed.`);
  }

  // Progress lines are numbered so that one held back by the throttle is dropped once an
  // epoch line has said more (every epoch line is printed, at once).
  let sequence = 0;
  let epochPrintedAt = 0;
  let previousStep: number | null = null;
  const printer = coalesce<{ text: string; seq: number }>(PROGRESS_INTERVAL_MS, ({ text, seq }) => {
    if (seq > epochPrintedAt) io.err(text);
  });
  const stopMetrics = client.on('run.metrics', (event) => {
    if (json || event.runId !== runId) return;
    for (const epoch of event.epochs) io.err(epochLine(epoch, options.totalEpochs));
    if (event.epochs.length > 0) epochPrintedAt = sequence;
  });
  let job;
  try {
    job = await client.follow(jobId, 'train', {
      signal,
      onProgress: (progress) => {
        if (json) return;
        printer.push({ text: trainProgressLine(progress, previousStep), seq: ++sequence });
        previousStep = progress.lastBatch?.step ?? null;
      },
    });
  } finally {
    printer.flush();
    printer.dispose();
    stopMetrics();
  }
  const run = await client.call('runs.get', { runId });
  if (job.status === 'failed') {
    throw new GraftError(job.error?.code ?? 'internal', `Run ${runId} failed: ${job.error?.message ?? run.error ?? 'unknown error'}`);
  }
  return trainReport(run, options.projectDir, options.splitsAssigned ?? null);
}

/** Epochs a config trains over all its stages. */
export function totalEpochsOf(config: TrainingConfig): number {
  return config.epochs + (config.twoStage && config.freeze.kind !== 'head-only' ? config.twoStage.fineTuneEpochs : 0);
}

/** The report of a run as recorded. */
export function trainReport(run: RunDetail, projectDir: string, splitsAssigned: SplitCounts | null): TrainReport {
  const latest = (split: 'test' | 'validation'): EvaluationReport | null => {
    const evaluation = run.evaluations.filter((e) => e.split === split).at(-1);
    return evaluation ? { checkpoint: evaluation.checkpoint, images: evaluation.report.support.reduce((a, b) => a + b, 0), ...evaluation.report } : null;
  };
  const interrupted = run.status === 'cancelled' || run.status === 'failed';
  return {
    runId: run.id,
    name: run.name,
    status: run.status,
    arch: run.arch,
    classes: run.classes,
    backend: run.backend,
    runtime: run.runtime,
    history: run.history,
    best: run.best,
    cache: run.cache,
    seconds: run.seconds,
    splits: run.splitCounts,
    test: latest('test'),
    validation: latest('validation'),
    splitsAssigned,
    resume: interrupted && run.hasCheckpoint ? resumeCommand(projectDir, run.id) : null,
    error: run.error,
    dir: run.dir,
  };
}

/** The command line that resumes run `runId`. */
export function resumeCommand(projectDir: string, runId: number): string {
  return `graft train ${quoteArg(projectDir)} --resume ${runId}`;
}

/** Quotes a path for a shell when it needs it. */
export function quoteArg(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
