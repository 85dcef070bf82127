import { describe, expect, it } from 'vitest';
import type { JobInfoOf } from '../../../src-main/api/types/jobs';
import { batchAt, runDetail, trainingConfig } from '../test-support/run-fixtures';
import { epochFigure, formatBytes, plannedEpochs, runState, runtimeText } from './train-figures';

const job = (status: JobInfoOf<'train'>['status'], over: Partial<JobInfoOf<'train'>> = {}): JobInfoOf<'train'> => ({
  id: 'j1',
  kind: 'train',
  title: 'Train',
  status,
  params: { config: trainingConfig() },
  progress: null,
  queuePosition: null,
  canPause: true,
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: null,
  result: null,
  error: null,
  ...over,
});

describe('train figures', () => {
  it('counts the fine-tune epochs only when the plan unfreezes the base', () => {
    expect(plannedEpochs(trainingConfig({ epochs: 3, twoStage: { fineTuneEpochs: 2 } }))).toBe(3);
    expect(plannedEpochs(trainingConfig({ epochs: 3, freeze: { kind: 'from', block: 'block_16' }, twoStage: { fineTuneEpochs: 2 } }))).toBe(5);
  });

  it('says which epoch runs: the one of the last batch, else the finished count, the total from the config until reported', () => {
    const config = trainingConfig({ epochs: 4 });
    expect(epochFigure({ epoch: 0, epochs: 0, lastBatch: null }, config)).toEqual({ current: 1, total: 4 });
    expect(epochFigure({ epoch: 1, epochs: 0, lastBatch: batchAt(13, 10) }, config)).toEqual({ current: 2, total: 4 });
    expect(epochFigure({ epoch: 4, epochs: 4, lastBatch: batchAt(39, 10) }, null)).toEqual({ current: 4, total: 4 });
  });

  it('states a run from its live job first, then from how the stored run ended', () => {
    expect(runState(job('queued', { queuePosition: 2 }), null).title).toBe('Waiting for the engine (place 2)');
    expect(runState(job('paused'), runDetail({ status: 'running' })).kind).toBe('paused');
    expect(runState(null, runDetail({ status: 'completed' }))).toMatchObject({ kind: 'completed', message: 'Best epoch 2 with validation accuracy 80.0%.' });
    expect(runState(null, runDetail({ status: 'cancelled', hasCheckpoint: true, error: null }))).toMatchObject({ canResume: true });
    expect(runState(null, runDetail({ status: 'failed', hasCheckpoint: false, error: 'boom' }))).toMatchObject({ kind: 'failed', message: 'boom', canResume: false });
    expect(runState(job('failed', { error: { code: 'internal', message: 'engine crashed' } }), null)).toMatchObject({ kind: 'failed', message: 'engine crashed' });
  });

  it('writes bytes and the runtime for people', () => {
    expect([formatBytes(900), formatBytes(2048), formatBytes(5.5 * 1024 ** 3)]).toEqual(['900 B', '2.0 KB', '5.5 GB']);
    expect([runtimeText('onnx', 'auto'), runtimeText(null, 'tfjs'), runtimeText(null, 'auto')]).toEqual(['ONNX Runtime', 'TensorFlow.js', 'auto runtime']);
  });
});
