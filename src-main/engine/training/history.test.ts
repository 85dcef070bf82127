import { describe, expect, it } from 'vitest';
import type { BatchRecord } from '../../api/types/training';
import { BatchHistorySampler, keepBatch, RunningMean, sampledBatchIndices, thinBatchHistory } from './history';

const batch = (epoch: number, b: number, perEpoch: number): BatchRecord => ({ epoch, batch: b, step: epoch * perEpoch + b, loss: 1 / (1 + b), acc: b / perEpoch, lr: 0.01 });

describe('sampledBatchIndices', () => {
  it('keeps evenly spread batches, ending on the last', () => {
    expect(sampledBatchIndices(10, 5)).toEqual([1, 3, 5, 7, 9]);
    expect(sampledBatchIndices(10, 3)).toEqual([3, 6, 9]);
    expect(sampledBatchIndices(7, 1)).toEqual([6]);
  });

  it('keeps every batch when the epoch is shorter than the limit', () => {
    expect(sampledBatchIndices(4, 50)).toEqual([0, 1, 2, 3]);
    expect(sampledBatchIndices(0, 5)).toEqual([]);
  });

  it('never exceeds the limit and always has the last batch, for many sizes', () => {
    for (let count = 1; count <= 300; count += 7) {
      for (const max of [1, 2, 5, 17, 50, 400]) {
        const kept = sampledBatchIndices(count, max);
        expect(kept.length).toBe(Math.min(count, max));
        expect(kept.at(-1)).toBe(count - 1);
        // Gaps differ by at most one batch: evenly spread.
        const gaps = kept.slice(1).map((b, i) => b - kept[i]!);
        if (gaps.length > 0) expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('refuses a limit below one', () => {
    expect(() => keepBatch(0, 10, 0)).toThrow(RangeError);
    expect(() => new BatchHistorySampler(0, 10)).toThrow(RangeError);
  });
});

describe('BatchHistorySampler', () => {
  it('stores at most N per epoch across a long run, each epoch ending on its last batch', () => {
    const perEpoch = 1000;
    const sampler = new BatchHistorySampler(20, perEpoch);
    let stored = 0;
    for (let epoch = 0; epoch < 30; epoch++) {
      for (let b = 0; b < perEpoch; b++) if (sampler.add(batch(epoch, b, perEpoch))) stored++;
      expect(sampler.endEpoch()).toBeNull();
    }
    const records = sampler.records();
    expect(records).toHaveLength(stored);
    expect(stored).toBe(30 * 20);
    for (let epoch = 0; epoch < 30; epoch++) expect(records.filter((r) => r.epoch === epoch).at(-1)!.batch).toBe(perEpoch - 1);
  });

  it('adds the last batch of an epoch cut short', () => {
    const sampler = new BatchHistorySampler(4, 100);
    for (let b = 0; b < 37; b++) sampler.add(batch(0, b, 100));
    const added = sampler.endEpoch();
    expect(added?.batch).toBe(36);
    expect(sampler.records().map((r) => r.batch)).toEqual([24, 36]);
    expect(sampler.endEpoch()).toBeNull();
  });

  it('closes an epoch by itself when the next one starts', () => {
    const sampler = new BatchHistorySampler(2, 10);
    for (let b = 0; b < 6; b++) sampler.add(batch(0, b, 10));
    sampler.add(batch(1, 0, 10));
    expect(sampler.records().map((r) => [r.epoch, r.batch])).toEqual([
      [0, 4],
      [0, 5],
    ]);
  });
});

describe('thinBatchHistory', () => {
  it('thins a stored history per epoch like the sampler would', () => {
    const all = [0, 1, 2].flatMap((epoch) => Array.from({ length: 10 }, (_, b) => batch(epoch, b, 10)));
    const thin = thinBatchHistory(all, 3);
    expect(thin.map((r) => [r.epoch, r.batch])).toEqual([
      [0, 3],
      [0, 6],
      [0, 9],
      [1, 3],
      [1, 6],
      [1, 9],
      [2, 3],
      [2, 6],
      [2, 9],
    ]);
    expect(thinBatchHistory(thin, 3)).toEqual(thin);
  });
});

describe('RunningMean', () => {
  it('weighs each batch by its size', () => {
    const mean = new RunningMean();
    expect(mean.value).toBe(0);
    mean.add(1.0, 32);
    mean.add(0.5, 32);
    mean.add(0.0, 16);
    expect(mean.value).toBeCloseTo((32 + 16) / 80, 12);
  });
});
