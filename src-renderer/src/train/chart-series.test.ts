import { describe, expect, it } from 'vitest';
import { batchAt, epochAt } from '../test-support/run-fixtures';
import { addBatchRecords, addEpochRecords, emptyRunSeries, fineTuneStart, runSeriesFrom } from './chart-series';

describe('chart series', () => {
  it('appends batches and epochs in order, epochs numbered from one', () => {
    const series = emptyRunSeries();
    expect(addBatchRecords(series.batches, [batchAt(0), batchAt(1)])).toBe(2);
    addBatchRecords(series.batches, [batchAt(2)]);
    addEpochRecords(series.epochs, [epochAt(0)]);
    expect(series.batches.step).toEqual([0, 1, 2]);
    expect(series.batches.loss).toEqual([1, 0.5, 1 / 3]);
    expect(series.epochs.epoch).toEqual([1]);
    expect(series.epochs.valAcc).toEqual([0.55]);
  });

  it('redraws a stored history and then appends only what is new when pushes overlap it', () => {
    const series = runSeriesFrom({ history: [epochAt(0), epochAt(1)], batches: [0, 1, 2, 3, 4].map((s) => batchAt(s)) });
    // A push that was already in the stored history (read after it was written), and one that is new.
    addBatchRecords(series.batches, [batchAt(3), batchAt(4), batchAt(5)]);
    addEpochRecords(series.epochs, [epochAt(1), epochAt(2)]);
    expect(series.batches.step).toEqual([0, 1, 2, 3, 4, 5]);
    expect(series.epochs.epoch).toEqual([1, 2, 3]);
    expect(series.epochs.loss).toHaveLength(3);
  });

  it('keeps one point per key, the newest winning, and puts late records in their place', () => {
    const series = emptyRunSeries();
    addBatchRecords(series.batches, [batchAt(0), batchAt(1), batchAt(4), batchAt(5)]);
    // A resumed run repeats the steps of the interrupted epoch with new values.
    addBatchRecords(series.batches, [batchAt(4, 4, 9), batchAt(2), batchAt(3)]);
    expect(series.batches.step).toEqual([0, 1, 2, 3, 4, 5]);
    expect(series.batches.loss[4]).toBe(9);
    // Every column stays aligned with its x.
    expect(series.batches.loss.map((l, i) => (i === 4 ? 9 : 1 / (series.batches.step[i]! + 1)))).toEqual(series.batches.loss);
    addEpochRecords(series.epochs, [epochAt(1), epochAt(0, 'head', 7)]);
    addEpochRecords(series.epochs, [epochAt(0, 'head', 8)]);
    expect(series.epochs.epoch).toEqual([1, 2]);
    expect(series.epochs.loss).toEqual([8, 0.5]);
  });

  it('finds where the fine-tune stage starts', () => {
    const series = runSeriesFrom({ history: [epochAt(0), epochAt(1), epochAt(2, 'fine-tune')], batches: [] });
    expect(fineTuneStart(series.epochs)).toBe(3);
    expect(fineTuneStart(runSeriesFrom({ history: [epochAt(0)], batches: [] }).epochs)).toBeNull();
  });
});
