import { describe, expect, it, vi } from 'vitest';
import type { RunDetail } from '../../../src-main/api/types/runs';
import { deferred, fakeApi } from '../test-support/fake-api';
import { batchAt, epochAt, runDetail } from '../test-support/run-fixtures';
import { followRun } from './run-follower';

describe('followRun', () => {
  it('subscribes by run id before reading the history, then merges what arrived meanwhile without doubles', async () => {
    const held = deferred<RunDetail>();
    const api = fakeApi({ 'runs.get': () => held.promise });
    const onChange = vi.fn();
    const run = followRun(api, 7, onChange);
    expect(api.listeners('run.metrics')).toBe(1);
    expect(api.calls.map((c) => c.name)).toEqual(['runs.get']);

    // Pushed while runs.get is on its way: one overlaps the stored history, one is new.
    api.emit('run.metrics', { runId: 7, epochs: [epochAt(1)], batches: [batchAt(3), batchAt(4)] });
    expect(onChange).not.toHaveBeenCalled();
    held.resolve(runDetail({ history: [epochAt(0), epochAt(1)], batches: [0, 1, 2, 3].map((s) => batchAt(s)) }));
    await run.loaded;
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(run.series.epochs.epoch).toEqual([1, 2]);
    expect(run.series.batches.step).toEqual([0, 1, 2, 3, 4]);

    api.emit('run.metrics', { runId: 7, epochs: [epochAt(2)], batches: [batchAt(5)] });
    expect(onChange).toHaveBeenCalledTimes(2);
    expect(run.series.epochs.epoch).toEqual([1, 2, 3]);
    expect(run.series.batches.step).toEqual([0, 1, 2, 3, 4, 5]);

    run.stop();
    expect(api.listeners('run.metrics')).toBe(0);
  });

  it('ignores another run and empty pushes, and merges the final history on reload', async () => {
    let detail = runDetail({ history: [epochAt(0)], batches: [batchAt(0)] });
    const api = fakeApi({ 'runs.get': () => detail });
    const onChange = vi.fn();
    const run = followRun(api, 7, onChange);
    await run.loaded;
    api.emit('run.metrics', { runId: 8, epochs: [epochAt(5)], batches: [] });
    api.emit('run.metrics', { runId: 7, epochs: [], batches: [] });
    expect(onChange).toHaveBeenCalledTimes(1);
    detail = runDetail({ history: [epochAt(0), epochAt(1)], batches: [batchAt(0), batchAt(1)] });
    await run.reload();
    expect(run.series.epochs.epoch).toEqual([1, 2]);
    expect(run.series.batches.step).toEqual([0, 1]);
  });

  it('still draws live points when the history cannot be read', async () => {
    const held = deferred<RunDetail>();
    const api = fakeApi({ 'runs.get': () => held.promise });
    const onChange = vi.fn();
    const run = followRun(api, 7, onChange);
    api.emit('run.metrics', { runId: 7, epochs: [epochAt(0)], batches: [] });
    held.reject(new Error('gone'));
    await expect(run.loaded).rejects.toThrow('gone');
    api.emit('run.metrics', { runId: 7, epochs: [epochAt(1)], batches: [] });
    expect(run.series.epochs.epoch).toEqual([1, 2]);
  });
});
