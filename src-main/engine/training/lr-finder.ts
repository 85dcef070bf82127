/**
 * The LR range test (fastai's `lr_find`) as pure functions: the exponential sequence of rates,
 * a smoothed-loss tracker that says when to stop, and suggestions read off the curve. The
 * caller trains one batch per rate, feeds the loss in, and afterwards puts back the weights
 * and optimizer state it had before the test.
 */
import type { LrFinderPoint, LrFinderSpec, LrSuggestion } from '../../api/types/training';

/** fastai's defaults for `lr_find` and its loss smoothing. */
export const LR_FINDER_DEFAULTS = { minLr: 1e-7, maxLr: 10, steps: 100, beta: 0.98, divergeFactor: 4 } as const;

/** The settings with defaults filled in, checked. */
export function resolveLrFinder(spec: LrFinderSpec = {}): Required<LrFinderSpec> {
  const resolved = { ...LR_FINDER_DEFAULTS, ...spec };
  const { minLr, maxLr, steps, beta, divergeFactor } = resolved;
  if (!(minLr > 0 && maxLr > minLr && Number.isFinite(maxLr))) throw new RangeError(`LR finder needs 0 < minLr < maxLr; got ${minLr} and ${maxLr}.`);
  if (!(Number.isInteger(steps) && steps >= 2)) throw new RangeError(`LR finder needs at least 2 steps; got ${steps}.`);
  if (!(beta >= 0 && beta < 1)) throw new RangeError(`LR finder smoothing beta must be in [0, 1); got ${beta}.`);
  if (!(divergeFactor > 1)) throw new RangeError(`LR finder divergence factor must be above 1; got ${divergeFactor}.`);
  return resolved;
}

/** The rate of each step: geometric from `minLr` (step 0) to `maxLr` (last step). */
export function lrFinderRates(spec: LrFinderSpec = {}): number[] {
  const { minLr, maxLr, steps } = resolveLrFinder(spec);
  return Array.from({ length: steps }, (_, i) => minLr * (maxLr / minLr) ** (i / (steps - 1)));
}

/** Progress of a range test; plain data. */
export interface LrFinderState {
  /** Running exponential average of the raw losses (before bias correction). */
  average: number;
  /** Lowest smoothed loss so far; null before the first step. */
  best: number | null;
  points: LrFinderPoint[];
}

/** Why a range test ended. */
export type LrFinderStop = 'diverged' | 'done';

/** The state before the first step. */
export function initialLrFinder(): LrFinderState {
  return { average: 0, best: null, points: [] };
}

/**
 * Records the loss of one step at rate `lr`. The smoothed loss is the bias-corrected
 * exponential average avgₜ / (1 − βᵗ), so early values are not dragged towards 0. Stops when
 * the smoothed loss exceeds `divergeFactor` × its best, when a loss is not finite (a run that
 * blew up teaches nothing more), or when every step has been taken.
 */
export function lrFinderRecord(spec: LrFinderSpec, state: LrFinderState, lr: number, loss: number): { state: LrFinderState; stop: LrFinderStop | null } {
  const { beta, divergeFactor, steps } = resolveLrFinder(spec);
  const count = state.points.length + 1;
  const average = beta * state.average + (1 - beta) * loss;
  const smoothedLoss = average / (1 - beta ** count);
  const best = state.best === null || smoothedLoss < state.best ? smoothedLoss : state.best;
  const next: LrFinderState = { average, best, points: [...state.points, { lr, loss, smoothedLoss }] };
  if (!Number.isFinite(loss) || smoothedLoss > divergeFactor * best) return { state: next, stop: 'diverged' };
  return { state: next, stop: count >= steps ? 'done' : null };
}

/** Which points the suggestions look at: fastai drops the first tenth and the last five. */
export interface SuggestOptions {
  skipStart?: number;
  skipEnd?: number;
}

/** Index of the steepest fall of the loss against log(lr) (left point of the pair). */
function steepest(lrs: number[], losses: number[]): number {
  let best = 0;
  let bestSlope = Number.POSITIVE_INFINITY;
  for (let i = 0; i + 1 < losses.length; i++) {
    const slope = (losses[i + 1]! - losses[i]!) / (Math.log(lrs[i + 1]!) - Math.log(lrs[i]!));
    if (slope < bestSlope) {
      bestSlope = slope;
      best = i;
    }
  }
  return best;
}

/**
 * Index in the middle of the longest descending stretch: the longest strictly decreasing
 * subsequence of the losses (not necessarily contiguous, so noise does not break it), from its
 * first to its last point. This is fastai's "valley" idea.
 */
function valley(losses: number[]): number {
  const n = losses.length;
  const length = new Array<number>(n).fill(1);
  const start = Array.from({ length: n }, (_, i) => i);
  let end = 0;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (losses[i]! < losses[j]! && length[j]! + 1 > length[i]!) {
        length[i] = length[j]! + 1;
        start[i] = start[j]!;
      }
    }
    if (length[i]! > length[end]!) end = i;
  }
  return start[end]! + Math.floor((end - start[end]!) / 2);
}

/**
 * Learning rates suggested from a range test's points (using smoothed losses): the steepest
 * descent, the middle of the longest valley, and the minimum's rate ÷ 10. Points from the first
 * non-finite loss on are ignored; with fewer than 3 points left every suggestion is null.
 */
export function suggestLearningRates(points: readonly LrFinderPoint[], options: SuggestOptions = {}): LrSuggestion {
  const skipStart = options.skipStart ?? Math.floor(points.length / 10);
  const skipEnd = options.skipEnd ?? 5;
  let usable = points.slice(skipStart, Math.max(skipStart, points.length - skipEnd));
  const firstBad = usable.findIndex((p) => !Number.isFinite(p.smoothedLoss) || !Number.isFinite(p.loss));
  if (firstBad >= 0) usable = usable.slice(0, firstBad);
  if (usable.length < 3) return { steep: null, valley: null, minimumOver10: null };
  const lrs = usable.map((p) => p.lr);
  const losses = usable.map((p) => p.smoothedLoss);
  const lowest = losses.indexOf(Math.min(...losses));
  return { steep: lrs[steepest(lrs, losses)]!, valley: lrs[valley(losses)]!, minimumOver10: lrs[lowest]! / 10 };
}
