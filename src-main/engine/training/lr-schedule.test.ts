import { describe, expect, it } from 'vitest';
import { GraftError } from '../../api/errors';
import type { LrScheduleSpec } from '../../api/types/training';
import { checkSchedule, learningRateAt, scheduleCurve } from './lr-schedule';

const at = (schedule: LrScheduleSpec, step: number, totalSteps = 100, stepsPerEpoch = 10, base = 0.01): number =>
  learningRateAt(base, schedule, { step, totalSteps, stepsPerEpoch });

describe('learningRateAt', () => {
  it('constant is the base rate everywhere', () => {
    expect(scheduleCurve(0.003, { kind: 'constant' }, 25, 5)).toEqual(new Array(25).fill(0.003));
  });

  it('step multiplies by the factor every N epochs', () => {
    const s: LrScheduleSpec = { kind: 'step', everyEpochs: 3, factor: 0.1 };
    // 10 steps per epoch: epochs 0–2 at base, 3–5 at base/10, 6–8 at base/100.
    expect(at(s, 0)).toBe(0.01);
    expect(at(s, 29)).toBe(0.01);
    expect(at(s, 30)).toBeCloseTo(0.001, 15);
    expect(at(s, 59)).toBeCloseTo(0.001, 15);
    expect(at(s, 60)).toBeCloseTo(0.0001, 15);
    expect(at(s, 99)).toBeCloseTo(0.00001, 15);
  });

  it('cosine without warm-up: base at 0, half at the middle, the floor at the end', () => {
    const s: LrScheduleSpec = { kind: 'cosine' };
    expect(at(s, 0)).toBe(0.01);
    expect(at(s, 50)).toBeCloseTo(0.005, 15);
    expect(at(s, 25)).toBeCloseTo(0.005 * (1 + Math.SQRT1_2), 15);
    expect(at(s, 100)).toBeCloseTo(0, 15);
    const floor: LrScheduleSpec = { kind: 'cosine', minLrFraction: 0.1 };
    expect(at(floor, 50)).toBeCloseTo(0.001 + 0.5 * 0.009, 15);
    expect(at(floor, 100)).toBeCloseTo(0.001, 15);
  });

  it('cosine with warm-up rises linearly then decays over the remaining steps', () => {
    const s: LrScheduleSpec = { kind: 'cosine', warmupEpochs: 2 };
    // 20 warm-up steps: step k gets base × (k+1)/20.
    expect(at(s, 0)).toBeCloseTo(0.0005, 15);
    expect(at(s, 9)).toBeCloseTo(0.005, 15);
    expect(at(s, 19)).toBeCloseTo(0.01, 15);
    expect(at(s, 20)).toBeCloseTo(0.01, 15);
    // Decay spans steps 20…100: its middle is step 60.
    expect(at(s, 60)).toBeCloseTo(0.005, 15);
    const curve = scheduleCurve(0.01, s, 100, 10);
    for (let i = 1; i < 20; i++) expect(curve[i]!).toBeGreaterThan(curve[i - 1]!);
    for (let i = 21; i < 100; i++) expect(curve[i]!).toBeLessThan(curve[i - 1]!);
  });

  it('one-cycle follows fastai: base/25 → base over 25 %, then down to base/1e5', () => {
    const s: LrScheduleSpec = { kind: 'one-cycle' };
    expect(at(s, 0)).toBeCloseTo(0.01 / 25, 15);
    expect(at(s, 25)).toBeCloseTo(0.01, 15);
    // Halfway through the warm-up the cosine is halfway between its ends.
    expect(at(s, 12.5)).toBeCloseTo((0.0004 + 0.01) / 2, 15);
    // Halfway through the annealing (pos 0.625).
    expect(at(s, 62.5)).toBeCloseTo((0.01 + 1e-7) / 2, 15);
    expect(at(s, 100)).toBeCloseTo(1e-7, 15);
    const curve = scheduleCurve(0.01, s, 100, 10);
    expect(Math.max(...curve)).toBe(curve[25]);
    const custom: LrScheduleSpec = { kind: 'one-cycle', pctStart: 0.5, divFactor: 10, finalDivFactor: 100 };
    expect(at(custom, 0)).toBeCloseTo(0.001, 15);
    expect(at(custom, 50)).toBeCloseTo(0.01, 15);
    expect(at(custom, 100)).toBeCloseTo(0.0001, 15);
  });

  it('holds the final value past the end and never goes negative', () => {
    for (const s of [{ kind: 'cosine' }, { kind: 'one-cycle' }, { kind: 'step', everyEpochs: 1, factor: 0.5 }] as LrScheduleSpec[]) {
      expect(at(s, 150)).toBe(at(s, 100));
      for (const lr of scheduleCurve(0.01, s, 100, 10)) expect(lr).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('checkSchedule', () => {
  it('accepts sensible settings', () => {
    expect(() => checkSchedule(1e-3, { kind: 'constant' })).not.toThrow();
    expect(() => checkSchedule(1e-3, { kind: 'step', everyEpochs: 5, factor: 0.5 })).not.toThrow();
    expect(() => checkSchedule(1e-3, { kind: 'cosine', warmupEpochs: 0.5, minLrFraction: 0 })).not.toThrow();
    expect(() => checkSchedule(1e-3, { kind: 'one-cycle', pctStart: 0 })).not.toThrow();
  });

  it.each([
    [0, { kind: 'constant' }],
    [Number.NaN, { kind: 'constant' }],
    [1e-3, { kind: 'step', everyEpochs: 0, factor: 0.5 }],
    [1e-3, { kind: 'step', everyEpochs: 2, factor: 1.5 }],
    [1e-3, { kind: 'cosine', warmupEpochs: -1 }],
    [1e-3, { kind: 'cosine', minLrFraction: 2 }],
    [1e-3, { kind: 'one-cycle', pctStart: 1 }],
    [1e-3, { kind: 'one-cycle', divFactor: 0 }],
  ] as [number, LrScheduleSpec][])('refuses lr %s with %j', (lr, schedule) => {
    expect(() => checkSchedule(lr, schedule)).toThrow(GraftError);
  });
});
