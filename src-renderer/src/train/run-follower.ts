/**
 * Reattaching to a run: subscribe to its `run.metrics` first, then read its stored history
 * with `runs.get`, then merge what arrived meanwhile. Subscribing first leaves no gap between
 * the stored history and the live pushes; the keyed merge of chart-series drops the overlap.
 */
import type { RunDetail, RunMetricsEvent } from '../../../src-main/api/types/runs';
import type { ApiClient } from '../api/api-client';
import { addBatchRecords, addEpochRecords, emptyRunSeries, type RunSeries } from './chart-series';

/** One run followed live: its series (mutated in place) and its stored detail. */
export interface FollowedRun {
  readonly runId: number;
  readonly series: RunSeries;
  /** The stored detail, once read; the history in it is already merged into `series`. */
  readonly loaded: Promise<RunDetail>;
  /** Reads the detail again (when the run ends: status, runtime, evaluations) and merges its history. */
  reload(): Promise<RunDetail>;
  /** Unsubscribes; later pushes are ignored. */
  stop(): void;
}

/** Follows run `runId`: `onChange` runs after every change to the series (history drawn, points appended). */
export function followRun(api: ApiClient, runId: number, onChange: () => void): FollowedRun {
  const series = emptyRunSeries();
  let pending: RunMetricsEvent[] | null = [];
  let stopped = false;

  const apply = (event: RunMetricsEvent): number => addEpochRecords(series.epochs, event.epochs) + addBatchRecords(series.batches, event.batches);
  const unsubscribe = api.on(
    'run.metrics',
    (event) => {
      if (stopped || event.runId !== runId) return;
      if (pending) pending.push(event);
      else if (apply(event) > 0) onChange();
    },
    String(runId),
  );

  const merge = (detail: RunDetail): RunDetail => {
    if (!stopped) {
      apply({ runId, epochs: detail.history, batches: detail.batches });
      for (const event of pending ?? []) apply(event);
      pending = null;
      onChange();
    }
    return detail;
  };

  const loaded = api.call('runs.get', { runId }).then(merge, (error: unknown) => {
    // Without the history there is nothing to merge into: draw the live points from here on.
    for (const event of pending ?? []) apply(event);
    pending = null;
    throw error;
  });

  return {
    runId,
    series,
    loaded,
    reload: () => api.call('runs.get', { runId }).then(merge),
    stop() {
      stopped = true;
      unsubscribe();
    },
  };
}
