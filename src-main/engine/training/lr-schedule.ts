/**
 * Learning rate per optimisation step for each schedule, as pure functions of the step, the
 * run's length and the schedule. Steps count from 0; "the end of the run" is step
 * `totalSteps`, one past the last step taken, as in PyTorch, Keras and fastai.
 */
import { assertNever, GraftError } from '../../api/errors';
import type { LrScheduleSpec } from '../../api/types/training';

/** Where a step sits in a run. */
export interface SchedulePosition {
  /** The step about to be taken, from 0. */
  step: number;
  totalSteps: number;
  stepsPerEpoch: number;
}

/** fastai's `fit_one_cycle` defaults. */
export const ONE_CYCLE_DEFAULTS = { pctStart: 0.25, divFactor: 25, finalDivFactor: 1e5 } as const;

/** fastai's cosine annealing from `start` to `end` as `pos` goes from 0 to 1. */
function cosineAnneal(start: number, end: number, pos: number): number {
  return start + ((1 + Math.cos(Math.PI * (1 - pos))) * (end - start)) / 2;
}

/** The learning rate for step `position.step` of a run whose base (or, for one-cycle, peak) rate is `baseLr`. */
export function learningRateAt(baseLr: number, schedule: LrScheduleSpec, position: SchedulePosition): number {
  const { totalSteps, stepsPerEpoch } = position;
  // A resumed or extended run may ask past the end: hold the final value rather than extrapolate.
  const step = Math.min(Math.max(position.step, 0), totalSteps);
  switch (schedule.kind) {
    case 'constant':
      return baseLr;
    case 'step': {
      const epoch = Math.floor(step / stepsPerEpoch);
      return baseLr * schedule.factor ** Math.floor(epoch / schedule.everyEpochs);
    }
    case 'cosine': {
      const warmup = Math.min(Math.round((schedule.warmupEpochs ?? 0) * stepsPerEpoch), totalSteps);
      // (step + 1) so the first step already moves the weights; Keras's warm-up starts at 0.
      if (step < warmup) return (baseLr * (step + 1)) / warmup;
      const minLr = baseLr * (schedule.minLrFraction ?? 0);
      const span = totalSteps - warmup;
      const progress = span > 0 ? (step - warmup) / span : 1;
      return minLr + 0.5 * (baseLr - minLr) * (1 + Math.cos(Math.PI * progress));
    }
    case 'one-cycle': {
      const pctStart = schedule.pctStart ?? ONE_CYCLE_DEFAULTS.pctStart;
      const low = baseLr / (schedule.divFactor ?? ONE_CYCLE_DEFAULTS.divFactor);
      const final = baseLr / (schedule.finalDivFactor ?? ONE_CYCLE_DEFAULTS.finalDivFactor);
      const pos = totalSteps > 0 ? step / totalSteps : 1;
      if (pos < pctStart) return cosineAnneal(low, baseLr, pos / pctStart);
      return cosineAnneal(baseLr, final, pctStart < 1 ? (pos - pctStart) / (1 - pctStart) : 1);
    }
    default:
      return assertNever(schedule, 'learning-rate schedule');
  }
}

/** The learning rate of every step of a run, e.g. for the wizard's schedule preview. */
export function scheduleCurve(baseLr: number, schedule: LrScheduleSpec, totalSteps: number, stepsPerEpoch: number): number[] {
  return Array.from({ length: totalSteps }, (_, step) => learningRateAt(baseLr, schedule, { step, totalSteps, stepsPerEpoch }));
}

function positive(value: number | undefined): boolean {
  return value === undefined || (Number.isFinite(value) && value > 0);
}

/** Refuses a base rate or schedule that cannot train, with a message saying which setting to change. */
export function checkSchedule(baseLr: number, schedule: LrScheduleSpec): void {
  const bad = (message: string): never => {
    throw new GraftError('bad-request', message);
  };
  if (!(Number.isFinite(baseLr) && baseLr > 0)) bad(`The learning rate must be a positive number; got ${baseLr}.`);
  switch (schedule.kind) {
    case 'constant':
      return;
    case 'step':
      if (!(Number.isInteger(schedule.everyEpochs) && schedule.everyEpochs >= 1)) bad('Step schedule: "every" must be a whole number of epochs, at least 1.');
      if (!(schedule.factor > 0 && schedule.factor <= 1)) bad('Step schedule: the factor must be above 0 and at most 1 (e.g. 0.1).');
      return;
    case 'cosine':
      if (schedule.warmupEpochs !== undefined && !(schedule.warmupEpochs >= 0 && Number.isFinite(schedule.warmupEpochs))) bad('Cosine schedule: warm-up epochs must be 0 or more.');
      if (schedule.minLrFraction !== undefined && !(schedule.minLrFraction >= 0 && schedule.minLrFraction <= 1)) bad('Cosine schedule: the final fraction of the learning rate must be between 0 and 1.');
      return;
    case 'one-cycle':
      if (schedule.pctStart !== undefined && !(schedule.pctStart >= 0 && schedule.pctStart < 1)) bad('One-cycle schedule: the warm-up share must be at least 0 and below 1 (e.g. 0.25).');
      if (!positive(schedule.divFactor) || !positive(schedule.finalDivFactor)) bad('One-cycle schedule: the division factors must be positive numbers.');
      return;
    default:
      assertNever(schedule, 'learning-rate schedule');
  }
}
