/**
 * What the Train step's header says about a run: phase, epoch x of y, batch, speed, cache,
 * and how it ended. Pure functions of the job's progress and the run's stored detail.
 */
import type { JobInfoOf } from '../../../src-main/api/types/jobs';
import type { RunDetail, TrainingConfig, TrainProgress } from '../../../src-main/api/types/runs';

/** Epochs of the whole run over its stages (the engine's own plan: two stages only when the plan unfreezes base blocks). */
export function plannedEpochs(config: TrainingConfig): number {
  const fineTune = config.freeze.kind !== 'head-only' && config.twoStage ? config.twoStage.fineTuneEpochs : 0;
  return config.epochs + fineTune;
}

/** The phase in words. */
export function phaseText(progress: Pick<TrainProgress, 'phase' | 'stage'>): string {
  switch (progress.phase) {
    case 'building':
      return 'Building the model';
    case 'caching':
      return 'Caching the frozen layers';
    case 'training':
      return progress.stage === 'fine-tune' ? 'Fine-tuning the unfrozen blocks' : 'Training the head';
    case 'evaluating':
      return 'Evaluating the best checkpoint';
  }
}

/**
 * The epoch in progress (one-based) and the run's total. Progress counts the current epoch
 * from 0 while its batches run and says how many finished after each epoch; batch events
 * do not carry the total, so it comes from the config until the first epoch reports it.
 */
export function epochFigure(progress: Pick<TrainProgress, 'epoch' | 'epochs' | 'lastBatch'>, config: TrainingConfig | null): { current: number; total: number | null } {
  const total = progress.epochs > 0 ? progress.epochs : config ? plannedEpochs(config) : null;
  const running = progress.lastBatch ? progress.lastBatch.epoch + 1 : 0;
  const current = Math.max(progress.epoch, running, 1);
  return { current: total === null ? current : Math.min(current, total), total };
}

/** A byte count in KB/MB/GB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** A share 0–1 as a percentage with one decimal; a dash when unknown. */
export function formatShare(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : `${(value * 100).toFixed(1)}%`;
}

/** What runs the frozen layers, in words: known once the run ran, else what the config asks for ("auto" decides at the start). */
export function runtimeText(runtime: string | null, choice: TrainingConfig['runtime'] | null): string {
  const known = runtime ?? (choice === 'auto' ? null : choice);
  if (known === 'onnx') return 'ONNX Runtime';
  if (known === 'tfjs') return 'TensorFlow.js';
  return 'auto runtime';
}

/** Where a followed run stands, for the status line and its actions. */
export interface RunState {
  kind: 'loading' | 'queued' | 'running' | 'paused' | 'completed' | 'stopped-early' | 'cancelled' | 'failed';
  title: string;
  /** Details: why it failed, how it ended. */
  message: string | null;
  /** Whether `training.resume` may continue it from its last checkpoint. */
  canResume: boolean;
}

/**
 * The state of a run from its job (while one is known) and its stored detail: a live job
 * says queued, running or paused; after it, the run's own status says how it ended.
 */
export function runState(job: JobInfoOf<'train'> | null, detail: RunDetail | null): RunState {
  const canResume = (detail?.status === 'cancelled' || detail?.status === 'failed') && detail.hasCheckpoint;
  if (job && job.status === 'queued') {
    return { kind: 'queued', title: job.queuePosition ? `Waiting for the engine (place ${job.queuePosition})` : 'Waiting for the engine', message: null, canResume: false };
  }
  if (job && job.status === 'paused') return { kind: 'paused', title: 'Paused', message: 'The run waits at the next batch; Resume continues it.', canResume: false };
  if (job && job.status === 'running') return { kind: 'running', title: 'Training', message: null, canResume: false };
  if (!detail) {
    if (job?.status === 'failed' || job?.status === 'cancelled') return { kind: job.status, title: job.status === 'failed' ? 'Failed' : 'Cancelled', message: job.error?.message ?? null, canResume: false };
    return { kind: 'loading', title: 'Loading…', message: null, canResume: false };
  }
  switch (detail.status) {
    case 'running':
      // The job ended but the stored run has not caught up yet, or another process trains it.
      return job ? { kind: 'loading', title: 'Finishing…', message: null, canResume: false } : { kind: 'running', title: 'Training', message: null, canResume: false };
    case 'completed':
      return { kind: 'completed', title: 'Completed', message: bestText(detail), canResume: false };
    case 'stopped-early':
      return { kind: 'stopped-early', title: 'Stopped early', message: `Early stopping ended the run after ${detail.epochs} epochs. ${bestText(detail) ?? ''}`.trim(), canResume: false };
    case 'cancelled':
      return { kind: 'cancelled', title: 'Cancelled', message: detail.error ?? (canResume ? 'Resume continues from the last checkpoint.' : null), canResume };
    case 'failed':
      return { kind: 'failed', title: 'Failed', message: detail.error ?? job?.error?.message ?? null, canResume };
  }
}

function bestText(detail: RunDetail): string | null {
  if (!detail.best) return null;
  const acc = detail.best.valAcc === null ? '' : ` with validation accuracy ${formatShare(detail.best.valAcc)}`;
  return `Best epoch ${detail.best.epoch + 1}${acc}.`;
}
