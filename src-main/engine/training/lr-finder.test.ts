import { describe, expect, it } from 'vitest';
import type { LrFinderPoint, LrFinderSpec } from '../../api/types/training';
import { initialLrFinder, lrFinderRates, lrFinderRecord, suggestLearningRates, type LrFinderState, type LrFinderStop } from './lr-finder';
import { createRng } from './rng';

/** Runs a range test against a loss function of the rate; returns the final state and why it stopped. */
function rangeTest(spec: LrFinderSpec, lossAt: (lr: number, step: number) => number): { state: LrFinderState; stop: LrFinderStop | null } {
  let state = initialLrFinder();
  let stop: LrFinderStop | null = null;
  const rates = lrFinderRates(spec);
  for (let i = 0; i < rates.length && stop === null; i++) ({ state, stop } = lrFinderRecord(spec, state, rates[i]!, lossAt(rates[i]!, i)));
  return { state, stop };
}

/** Points whose smoothed loss is the given curve (for testing suggestions alone). */
function points(lrs: number[], losses: number[]): LrFinderPoint[] {
  return lrs.map((lr, i) => ({ lr, loss: losses[i]!, smoothedLoss: losses[i]! }));
}

describe('lrFinderRates', () => {
  it('is geometric from min to max inclusive', () => {
    const rates = lrFinderRates({ minLr: 1e-6, maxLr: 1, steps: 7 });
    const expected = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1];
    rates.forEach((r, i) => expect(r / expected[i]!).toBeCloseTo(1, 12));
    expect(lrFinderRates()).toHaveLength(100);
    expect(lrFinderRates()[0]).toBe(1e-7);
    expect(lrFinderRates().at(-1)!).toBeCloseTo(10, 10);
  });

  it('refuses settings that cannot make a curve', () => {
    expect(() => lrFinderRates({ minLr: 1, maxLr: 0.1 })).toThrow(RangeError);
    expect(() => lrFinderRates({ steps: 1 })).toThrow(RangeError);
    expect(() => lrFinderRates({ beta: 1 })).toThrow(RangeError);
    expect(() => lrFinderRates({ divergeFactor: 1 })).toThrow(RangeError);
  });
});

describe('lrFinderRecord', () => {
  it('bias-corrects the average: a constant loss stays constant from the first step', () => {
    const { state, stop } = rangeTest({ steps: 30 }, () => 2.5);
    expect(stop).toBe('done');
    expect(state.points).toHaveLength(30);
    for (const p of state.points) expect(p.smoothedLoss).toBeCloseTo(2.5, 12);
  });

  it('smooths by hand: β = 0.5 over losses 4, 2, 1', () => {
    let state = initialLrFinder();
    const spec = { beta: 0.5, steps: 3, divergeFactor: 100 };
    for (const loss of [4, 2, 1]) state = lrFinderRecord(spec, state, 0.1, loss).state;
    // averages 2, 2, 1.5; corrections 1/(1−0.5), 1/(1−0.25), 1/(1−0.125).
    expect(state.points.map((p) => p.smoothedLoss)).toEqual([4, 2 / 0.75, 1.5 / 0.875]);
    expect(state.best).toBeCloseTo(1.5 / 0.875, 12);
  });

  it('stops when the smoothed loss passes 4× its best', () => {
    // No smoothing: losses 1, 0.5, then 1.9 (fine), then 2.1 (> 4 × 0.5).
    const losses = [1, 0.5, 1.9, 2.1, 0.1];
    const { state, stop } = rangeTest({ beta: 0, steps: 5 }, (_, i) => losses[i]!);
    expect(stop).toBe('diverged');
    expect(state.points.map((p) => p.loss)).toEqual([1, 0.5, 1.9, 2.1]);
  });

  it('stops at a non-finite loss', () => {
    const { state, stop } = rangeTest({ steps: 50 }, (_, i) => (i === 7 ? Number.NaN : 1));
    expect(stop).toBe('diverged');
    expect(state.points).toHaveLength(8);
  });
});

describe('suggestLearningRates', () => {
  const lrs = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100];

  it('reads steep, valley and minimum ÷ 10 off a hand-made curve', () => {
    // Steepest fall between 1e-4 and 1e-3 (−1.0); lowest (0.6) at 1.
    const losses = [2.3, 2.25, 2.2, 1.2, 0.9, 0.7, 0.6, 0.8, 3.0];
    const s = suggestLearningRates(points(lrs, losses), { skipStart: 0, skipEnd: 0 });
    expect(s.steep).toBe(1e-4);
    expect(s.minimumOver10).toBeCloseTo(0.1, 15);
    // Longest descent runs 2.3 … 0.6 (indices 0–6): its middle is index 3.
    expect(s.valley).toBe(1e-3);
  });

  it('lets noise interrupt the descent without breaking the valley', () => {
    const losses = [2.3, 2.0, 2.1, 1.5, 1.6, 1.0, 0.8, 2.0, 5.0];
    // Decreasing subsequence 2.3, 2.0, 1.5, 1.0, 0.8 spans indices 0–6 (middle 3).
    expect(suggestLearningRates(points(lrs, losses), { skipStart: 0, skipEnd: 0 }).valley).toBe(1e-3);
  });

  it('skips fastai-style ends and cuts at the first non-finite loss', () => {
    const losses = [9, 9, 2.3, 2.0, 1.0, 0.5, Number.NaN, 0.1, 0.05];
    const s = suggestLearningRates(points(lrs, losses), { skipStart: 2, skipEnd: 0 });
    // Points 2–5 remain: the lowest, 0.5, is at 1e-1.
    expect(s.minimumOver10).toBeCloseTo(1e-2, 15);
    expect(suggestLearningRates(points(lrs.slice(0, 4), [1, 0.9, 0.8, 0.7]))).toEqual({ steep: null, valley: null, minimumOver10: null });
  });

  it('on a noisy synthetic run, suggests rates inside the falling part, below the blow-up', () => {
    // Flat at 2.3 below 1e-5, falls towards 0.3 (steepest at 3e-4), blows up past 1e-1; noise σ 0.05.
    const rng = createRng(1234);
    const lossAt = (lr: number): number => {
      const x = Math.log10(lr);
      return 2.3 - 2 / (1 + Math.exp(-3 * (x + 3.5))) + Math.exp(3 * (x + 1)) + rng.normal(0, 0.05);
    };
    const { state, stop } = rangeTest({}, lossAt);
    expect(stop).toBe('diverged');
    const lastLr = state.points.at(-1)!.lr;
    expect(lastLr).toBeGreaterThan(1e-1);
    expect(lastLr).toBeLessThan(10);
    const s = suggestLearningRates(state.points);
    // Measured with this seed: steep ≈ 1.3e-3, valley ≈ 2.5e-4, minimum ÷ 10 ≈ 9.5e-3; bounds allow a decade or so.
    // The smoothed curve lags the raw one, so the steepest fall comes after the true inflection at ~3e-4.
    expect(s.steep!).toBeGreaterThan(3e-4);
    expect(s.steep!).toBeLessThan(1e-2);
    expect(s.valley!).toBeGreaterThan(1e-5);
    expect(s.valley!).toBeLessThan(3e-3);
    expect(s.minimumOver10!).toBeGreaterThan(1e-3);
    expect(s.minimumOver10!).toBeLessThan(3e-2);
  });
});
