/**
 * A run's metrics as chart series: per sampled batch (by optimisation step) and per epoch,
 * kept sorted by their key with at most one point per key. The stored history and the live
 * `run.metrics` pushes overlap when a page reattaches, and a resumed run repeats the batches
 * of the epoch it was interrupted in; both go through the same keyed merge, so nothing is
 * drawn twice and the newest record of a key wins (as in the run's database).
 */
import type { RunStage } from '../../../src-main/api/types/runs';
import type { BatchRecord, EpochRecord } from '../../../src-main/api/types/training';

/** An epoch record with the stage it belongs to, as runs.get and run.metrics carry it. */
export type StagedEpoch = EpochRecord & { stage: RunStage };

/** Sampled training batches; `step` is the x of every other array (uPlot's aligned columns). */
export interface BatchSeries {
  step: number[];
  /** Epoch index (from 0) of each batch. */
  epoch: number[];
  loss: number[];
  acc: number[];
  lr: number[];
}

/** Finished epochs; `epoch` is the one-based epoch number (the x axis as the user counts). */
export interface EpochSeries {
  epoch: number[];
  loss: number[];
  acc: number[];
  valLoss: (number | null)[];
  valAcc: (number | null)[];
  lr: number[];
  stage: RunStage[];
}

/** Everything the live charts draw for one run. */
export interface RunSeries {
  batches: BatchSeries;
  epochs: EpochSeries;
}

/** Series with no points. */
export function emptyRunSeries(): RunSeries {
  return {
    batches: { step: [], epoch: [], loss: [], acc: [], lr: [] },
    epochs: { epoch: [], loss: [], acc: [], valLoss: [], valAcc: [], lr: [], stage: [] },
  };
}

/** Where `key` goes in the ascending `keys`: at the end in the usual case, else found by bisection. */
function slotOf(keys: readonly number[], key: number): { index: number; exists: boolean } {
  const n = keys.length;
  if (n === 0 || keys[n - 1]! < key) return { index: n, exists: false };
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return { index: lo, exists: keys[lo] === key };
}

/** Puts one row into parallel columns at its key's slot: replaced when the key is there, inserted otherwise. */
function putRow<T extends { [C in keyof T]: unknown[] }>(columns: T, keyColumn: keyof T, key: number, row: { [C in keyof T]: T[C][number] }): void {
  const { index, exists } = slotOf(columns[keyColumn] as number[], key);
  for (const name of Object.keys(columns) as (keyof T)[]) {
    const column: unknown[] = columns[name];
    if (exists) column[index] = row[name];
    else if (index === column.length) column.push(row[name]);
    else column.splice(index, 0, row[name]);
  }
}

/** Merges sampled batch records by step; returns how many records it took (0 when there were none). */
export function addBatchRecords(series: BatchSeries, records: readonly BatchRecord[]): number {
  for (const r of records) putRow(series, 'step', r.step, { step: r.step, epoch: r.epoch, loss: r.loss, acc: r.acc, lr: r.lr });
  return records.length;
}

/** Merges epoch records by epoch index; returns how many records it took. */
export function addEpochRecords(series: EpochSeries, records: readonly StagedEpoch[]): number {
  for (const r of records) {
    putRow(series, 'epoch', r.epoch + 1, {
      epoch: r.epoch + 1,
      loss: r.loss,
      acc: r.acc,
      valLoss: r.valLoss,
      valAcc: r.valAcc,
      lr: r.lr,
      stage: r.stage,
    });
  }
  return records.length;
}

/** Series holding a run's stored history (what `runs.get` returns). */
export function runSeriesFrom(stored: { history: readonly StagedEpoch[]; batches: readonly BatchRecord[] }): RunSeries {
  const series = emptyRunSeries();
  addEpochRecords(series.epochs, stored.history);
  addBatchRecords(series.batches, stored.batches);
  return series;
}

/** The epoch number (one-based) where the fine-tune stage starts, or null for a one-stage run. */
export function fineTuneStart(series: EpochSeries): number | null {
  const index = series.stage.indexOf('fine-tune');
  return index > 0 ? series.epoch[index]! : null;
}
