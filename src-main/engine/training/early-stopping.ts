/**
 * Keras `EarlyStopping` as pure functions over plain state, so the state can be saved with a
 * checkpoint and a resumed run carries on where it stopped. The training loop asks after
 * each epoch and acts on the decision (snapshot the weights, stop); at the end it asks
 * whether to go back to the best epoch's weights.
 *
 * Semantics follow Keras 3: an improvement beats the best by more than `minDelta` (absolute);
 * `wait` counts epochs since the last improvement that also beat `baseline`; training stops
 * once `wait ≥ patience`, never after the first epoch; with `restoreBestWeights` the best
 * weights are restored at the end of training whether or not it stopped early.
 */
import type { EarlyStoppingSpec, MonitorName } from '../../api/types/training';

/** Where early stopping stands; JSON-safe (no infinities). */
export interface EarlyStoppingState {
  /** Epochs since the last improvement (that also beat the baseline). */
  wait: number;
  /** The best monitored value so far; null before the first. */
  best: number | null;
  /** The epoch whose weights are the best snapshot; null before the first monitored epoch. */
  bestEpoch: number | null;
  /** The epoch after which training was stopped; null while it runs. */
  stoppedEpoch: number | null;
}

/** What the training loop should do after an epoch. */
export interface EarlyStoppingDecision {
  state: EarlyStoppingState;
  /** The monitored value beat the best. */
  improved: boolean;
  /** Keep a copy of the current weights as the best (only with `restoreBestWeights`). */
  snapshotBest: boolean;
  /** Stop training after this epoch. */
  stop: boolean;
}

/** The state before the first epoch. */
export function initialEarlyStopping(): EarlyStoppingState {
  return { wait: 0, best: null, bestEpoch: null, stoppedEpoch: null };
}

/** Whether the monitored value should go down or up; 'auto' maximises accuracies and minimises losses. */
export function monitorDirection(spec: Pick<EarlyStoppingSpec, 'monitor' | 'mode'>): 'min' | 'max' {
  if (spec.mode === 'min' || spec.mode === 'max') return spec.mode;
  return spec.monitor === 'acc' || spec.monitor === 'valAcc' ? 'max' : 'min';
}

function isImprovement(direction: 'min' | 'max', minDelta: number, value: number, reference: number | null): boolean {
  // NaN never improves; against "no best yet" anything else does (Keras compares with ±inf).
  if (Number.isNaN(value)) return false;
  const ref = reference ?? (direction === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY);
  return direction === 'min' ? value + minDelta < ref : value - minDelta > ref;
}

/**
 * The decision after epoch `epoch` (from 0), given the epoch's metrics. A missing monitored
 * value, or an epoch before `startFromEpoch`, changes nothing (as in Keras).
 */
export function earlyStoppingStep(
  spec: EarlyStoppingSpec,
  state: EarlyStoppingState,
  epoch: number,
  metrics: Partial<Record<MonitorName, number | null>>,
): EarlyStoppingDecision {
  const current = metrics[spec.monitor];
  if (current === undefined || current === null || epoch < (spec.startFromEpoch ?? 0)) {
    return { state, improved: false, snapshotBest: false, stop: false };
  }
  const direction = monitorDirection(spec);
  const minDelta = Math.abs(spec.minDelta ?? 0);
  const restore = spec.restoreBestWeights ?? false;
  const next: EarlyStoppingState = { ...state, wait: state.wait + 1 };
  // Keras keeps the first monitored epoch's weights even if it is no improvement (e.g. NaN).
  let snapshotBest = restore && state.bestEpoch === null;
  if (snapshotBest) next.bestEpoch = epoch;
  if (isImprovement(direction, minDelta, current, state.best)) {
    next.best = current;
    next.bestEpoch = epoch;
    snapshotBest = restore;
    if (spec.baseline === undefined || isImprovement(direction, minDelta, current, spec.baseline)) next.wait = 0;
    return { state: next, improved: true, snapshotBest, stop: false };
  }
  const stop = next.wait >= (spec.patience ?? 0) && epoch > 0;
  if (stop) next.stoppedEpoch = epoch;
  return { state: next, improved: false, snapshotBest, stop };
}

/** At the end of training: whether to restore the weights of `bestEpoch`. */
export function earlyStoppingEnd(spec: EarlyStoppingSpec, state: EarlyStoppingState): { restoreBest: boolean; bestEpoch: number | null } {
  return { restoreBest: (spec.restoreBestWeights ?? false) && state.bestEpoch !== null, bestEpoch: state.bestEpoch };
}
