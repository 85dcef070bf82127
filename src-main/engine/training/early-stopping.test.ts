import { describe, expect, it } from 'vitest';
import type { EarlyStoppingSpec, MonitorName } from '../../api/types/training';
import { earlyStoppingEnd, earlyStoppingStep, initialEarlyStopping, monitorDirection, type EarlyStoppingDecision, type EarlyStoppingState } from './early-stopping';

/** Feeds one monitored value per epoch until a stop; returns every decision and the final state. */
function run(spec: EarlyStoppingSpec, series: (number | null)[], state: EarlyStoppingState = initialEarlyStopping(), firstEpoch = 0) {
  const decisions: EarlyStoppingDecision[] = [];
  for (let i = 0; i < series.length; i++) {
    const decision = earlyStoppingStep(spec, state, firstEpoch + i, { [spec.monitor]: series[i] } as Record<MonitorName, number | null>);
    decisions.push(decision);
    state = decision.state;
    if (decision.stop) break;
  }
  return { decisions, state, epochsRun: decisions.length };
}

describe('earlyStoppingStep (Keras EarlyStopping)', () => {
  it("Keras's docstring case: a loss that only rises, patience 3, runs 4 epochs", () => {
    const { epochsRun, state } = run({ monitor: 'loss', patience: 3 }, [1, 2, 3, 4, 5, 6, 7]);
    expect(epochsRun).toBe(4);
    expect(state).toEqual({ wait: 3, best: 1, bestEpoch: 0, stoppedEpoch: 3 });
  });

  it('patience 0 stops at the first epoch without improvement, but never after epoch 0', () => {
    expect(run({ monitor: 'valLoss' }, [1, 0.5, 0.6, 0.4]).epochsRun).toBe(3);
    // A NaN first epoch is no improvement, yet training goes on past epoch 0.
    const { decisions } = run({ monitor: 'valLoss' }, [Number.NaN, 0.5, 0.7]);
    expect(decisions.map((d) => d.stop)).toEqual([false, false, true]);
    expect(decisions.map((d) => d.improved)).toEqual([false, true, false]);
  });

  it('improvements are counted from the last improvement, not the last epoch', () => {
    const { decisions } = run({ monitor: 'valLoss', patience: 2 }, [1.0, 0.8, 0.9, 0.85, 0.7, 0.75, 0.72, 0.71]);
    expect(decisions.map((d) => d.state.wait)).toEqual([0, 0, 1, 2]);
    expect(decisions.at(-1)!.stop).toBe(true);
    const longer = run({ monitor: 'valLoss', patience: 3 }, [1.0, 0.8, 0.9, 0.85, 0.7, 0.75, 0.72, 0.71]);
    expect(longer.decisions.map((d) => d.improved)).toEqual([true, true, false, false, true, false, false, false]);
    expect(longer.state).toMatchObject({ best: 0.7, bestEpoch: 4, stoppedEpoch: 7 });
  });

  it('changes smaller than minDelta are no improvement (either sign of minDelta)', () => {
    for (const minDelta of [0.01, -0.01]) {
      // 0.995 is 0.005 below 1.0 (no), 0.985 is 0.015 below (yes), 0.98 is 0.005 below 0.985 (no).
      const { decisions, state } = run({ monitor: 'valLoss', patience: 2, minDelta }, [1.0, 0.995, 0.985, 0.98]);
      expect(decisions.map((d) => d.improved)).toEqual([true, false, true, false]);
      expect(state).toMatchObject({ wait: 1, best: 0.985, bestEpoch: 2, stoppedEpoch: null });
    }
    const flat = run({ monitor: 'valLoss', patience: 2, minDelta: 0.01 }, [1.0, 0.995, 0.992, 0.991]);
    expect(flat.epochsRun).toBe(3);
    expect(flat.state).toMatchObject({ best: 1.0, bestEpoch: 0, stoppedEpoch: 2 });
  });

  it('accuracy is maximised in auto mode; mode overrides', () => {
    expect(monitorDirection({ monitor: 'valAcc' })).toBe('max');
    expect(monitorDirection({ monitor: 'acc', mode: 'auto' })).toBe('max');
    expect(monitorDirection({ monitor: 'loss' })).toBe('min');
    expect(monitorDirection({ monitor: 'valLoss', mode: 'max' })).toBe('max');
    const { state } = run({ monitor: 'valAcc', patience: 1 }, [0.5, 0.7, 0.65, 0.6]);
    expect(state).toMatchObject({ best: 0.7, bestEpoch: 1, stoppedEpoch: 2 });
  });

  it('a baseline keeps the wait growing while improvements stay short of it', () => {
    const { decisions, state } = run({ monitor: 'valAcc', patience: 2, baseline: 0.9 }, [0.5, 0.6, 0.7, 0.65]);
    // Improving epochs never stop training (Keras returns before the patience check) …
    expect(decisions.slice(0, 3).map((d) => d.stop)).toEqual([false, false, false]);
    // … but the first plateau after them does, since wait was never reset.
    expect(state).toMatchObject({ wait: 4, best: 0.7, stoppedEpoch: 3 });
    const beaten = run({ monitor: 'valAcc', patience: 2, baseline: 0.6 }, [0.5, 0.7, 0.65]);
    expect(beaten.decisions.map((d) => d.state.wait)).toEqual([1, 0, 1]);
  });

  it('asks for a snapshot of the best weights only with restoreBestWeights', () => {
    const restoring = run({ monitor: 'valLoss', patience: 5, restoreBestWeights: true }, [Number.NaN, 0.9, 1.0, 0.8, 0.85]);
    // Keras keeps the first monitored epoch's weights even when its value is NaN.
    expect(restoring.decisions.map((d) => d.snapshotBest)).toEqual([true, true, false, true, false]);
    expect(earlyStoppingEnd({ monitor: 'valLoss', restoreBestWeights: true }, restoring.state)).toEqual({ restoreBest: true, bestEpoch: 3 });
    const plain = run({ monitor: 'valLoss', patience: 5 }, [0.9, 1.0, 0.8]);
    expect(plain.decisions.every((d) => !d.snapshotBest)).toBe(true);
    expect(earlyStoppingEnd({ monitor: 'valLoss' }, plain.state)).toEqual({ restoreBest: false, bestEpoch: 2 });
  });

  it('ignores epochs without the monitored value and those before startFromEpoch', () => {
    const initial = initialEarlyStopping();
    const missing = earlyStoppingStep({ monitor: 'valLoss' }, initial, 3, { loss: 0.2 });
    expect(missing).toEqual({ state: initial, improved: false, snapshotBest: false, stop: false });
    const { decisions } = run({ monitor: 'valLoss', startFromEpoch: 2 }, [0.1, 0.2, 0.5, 0.6]);
    expect(decisions.map((d) => d.improved)).toEqual([false, false, true, false]);
    expect(decisions.at(-1)!.stop).toBe(true);
    expect(earlyStoppingEnd({ monitor: 'valLoss', restoreBestWeights: true }, initial).restoreBest).toBe(false);
  });

  it('state survives JSON: a resumed run decides as an uninterrupted one', () => {
    const spec: EarlyStoppingSpec = { monitor: 'valLoss', patience: 2, restoreBestWeights: true };
    const series = [1.0, 0.8, 0.9, 0.85, 0.95];
    const whole = run(spec, series);
    const firstHalf = run(spec, series.slice(0, 2));
    const saved = JSON.parse(JSON.stringify(firstHalf.state)) as EarlyStoppingState;
    const resumed = run(spec, series.slice(2), saved, 2);
    expect(resumed.state).toEqual(whole.state);
    expect(whole.state.stoppedEpoch).toBe(3);
  });
});
