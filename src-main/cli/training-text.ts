import type { RunStage, TrainProgress } from '../api/types/runs';
import type { ClassificationReport, EpochRecord, LrFinderPoint } from '../api/types/training';
import { duration, fixed3, textTable } from './text-table';

/**
 * One stderr line of a training job's progress. `previousStep` is the step of the batch the
 * previous progress carried: when no new batch came (a checkpoint saved, the next stage
 * starting), the line is the job's message, not the old batch again.
 */
export function trainProgressLine(p: TrainProgress, previousStep: number | null = null): string {
  const rate = p.imagesPerSecond !== null ? `${p.imagesPerSecond.toFixed(1)} images/s` : null;
  if (p.phase === 'caching' && p.cache) {
    const left = p.imagesPerSecond && p.imagesPerSecond > 0 ? `${duration((p.cache.total - p.cache.done) / p.imagesPerSecond)} left` : null;
    const parts = [`${p.cache.done}/${p.cache.total} images`, `${p.cache.hits} from the cache`, rate, left].filter(Boolean);
    return `caching the frozen layers: ${parts.join(' · ')}`;
  }
  if (p.phase === 'training' && p.lastBatch && p.batches > 0 && p.lastBatch.step !== previousStep) {
    const b = p.lastBatch;
    const eta = p.etaSeconds !== null ? `${duration(p.etaSeconds)} left in this stage` : null;
    const parts = [`loss ${b.loss.toFixed(4)} acc ${b.acc.toFixed(3)}`, rate, eta].filter(Boolean);
    return `${stageLabel(p.stage)}epoch ${b.epoch + 1}/${p.epochs || '?'} batch ${b.batch + 1}/${p.batches} · ${parts.join(' · ')}`;
  }
  return p.message;
}

/** The per-epoch line printed for every epoch (never thinned). */
export function epochLine(e: EpochRecord & { stage: RunStage }, epochs: number | null): string {
  const of = epochs ? `/${epochs}` : '';
  return (
    `${stageLabel(e.stage)}epoch ${e.epoch + 1}${of}: loss ${e.loss.toFixed(4)} acc ${e.acc.toFixed(3)} ` +
    `val_loss ${e.valLoss === null ? '-' : e.valLoss.toFixed(4)} val_acc ${fixed3(e.valAcc)} · lr ${e.lr.toExponential(1)} · ${e.seconds.toFixed(1)} s`
  );
}

function stageLabel(stage: RunStage | null): string {
  return stage === 'fine-tune' ? '[fine-tune] ' : stage === 'head' ? '[head] ' : '';
}

/** The epochs of a run as a table (the human summary of `graft train`). */
export function historyTable(history: readonly (EpochRecord & { stage: RunStage })[]): string {
  return textTable(
    ['epoch', 'stage', 'loss', 'acc', 'val_loss', 'val_acc', 'lr', 'seconds'],
    history.map((e) => [String(e.epoch + 1), e.stage, e.loss.toFixed(4), fixed3(e.acc), e.valLoss === null ? '-' : e.valLoss.toFixed(4), fixed3(e.valAcc), e.lr.toExponential(1), e.seconds.toFixed(1)]),
    ['right', 'left'],
  );
}

/** Per-class precision, recall, F1 and support, with the macro and weighted averages. */
export function perClassTable(classes: readonly string[], r: ClassificationReport): string {
  const total = r.support.reduce((a, b) => a + b, 0);
  return textTable(
    ['class', 'precision', 'recall', 'f1', 'support'],
    [
      ...classes.map((name, i) => [name, fixed3(r.precision[i]), fixed3(r.recall[i]), fixed3(r.f1[i]), String(r.support[i] ?? 0)]),
      ['macro avg', fixed3(r.macro.precision), fixed3(r.macro.recall), fixed3(r.macro.f1), String(total)],
      ['weighted avg', fixed3(r.weighted.precision), fixed3(r.weighted.recall), fixed3(r.weighted.f1), String(total)],
    ],
  );
}

/** The confusion matrix: a row per true class, a column per predicted class (sklearn's layout). */
export function confusionTable(classes: readonly string[], confusion: readonly (readonly number[])[]): string {
  return textTable(
    ['true \\ predicted', ...classes],
    classes.map((name, i) => [name, ...classes.map((_, j) => String(confusion[i]?.[j] ?? 0))]),
  );
}

/**
 * A small text plot of an LR range test: smoothed loss (rows) against the learning rate on a
 * log scale (columns), with the suggested rate marked below the axis.
 */
export function lossPlot(points: readonly LrFinderPoint[], mark: number | null, width = 60, height = 12): string {
  const usable = points.filter((p) => Number.isFinite(p.smoothedLoss) && p.lr > 0);
  if (usable.length < 2) return '(too few points to plot)';
  const logs = usable.map((p) => Math.log10(p.lr));
  const lo = Math.min(...logs);
  const hi = Math.max(...logs);
  // The tail where the loss explodes would squash the interesting part: points above 1.5× the
  // first loss stay off the chart (the rate axis still spans them).
  const ceiling = usable[0]!.smoothedLoss * 1.5;
  const shown = usable.map((p, i) => ({ loss: p.smoothedLoss, log: logs[i]! })).filter((p) => p.loss <= ceiling);
  const bottom = Math.min(...shown.map((p) => p.loss));
  const top = Math.max(...shown.map((p) => p.loss));
  const grid = Array.from({ length: height }, () => new Array<string>(width).fill(' '));
  const col = (log: number) => (hi === lo ? 0 : Math.round(((log - lo) / (hi - lo)) * (width - 1)));
  for (const p of shown) {
    const row = top === bottom ? height - 1 : Math.round(((top - p.loss) / (top - bottom)) * (height - 1));
    grid[row]![col(p.log)] = '*';
  }
  const label = (v: number) => v.toFixed(3).padStart(8);
  const lines = grid.map((cells, r) => `${r === 0 ? label(top) : r === height - 1 ? label(bottom) : ' '.repeat(8)} |${cells.join('')}`);
  lines.push(`${' '.repeat(8)} +${'-'.repeat(width)}`);
  const left = usable[0]!.lr.toExponential(0);
  const right = usable.at(-1)!.lr.toExponential(0);
  lines.push(`${' '.repeat(10)}${left}${right.padStart(width - left.length)}   (learning rate, log scale)`);
  if (mark !== null && mark > 0) {
    const c = col(Math.log10(mark));
    if (c >= 0 && c < width) lines.push(`${' '.repeat(10 + c)}^ ${mark.toExponential(1)}`);
  }
  return lines.join('\n');
}
