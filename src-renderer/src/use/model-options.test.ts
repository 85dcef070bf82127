import { describe, expect, it } from 'vitest';
import type { ImportedModel, PredictModelInfo } from '../../../src-main/api/types/predict';
import type { RunSummary } from '../../../src-main/api/types/runs';
import { runDetail } from '../test-support/run-fixtures';
import { choiceOf, defaultModelKey, modelCaption, modelOptions, modelRefOf, suggestParamsOf } from './model-options';

function run(id: number, patch: Partial<RunSummary> = {}): RunSummary {
  const { config: _c, dir: _d, checkpoints: _k, history: _h, batches: _b, cache: _x, splitCounts: _s, evaluations: _e, ...summary } = runDetail({ id, name: `Run ${id}`, createdAt: `2026-01-0${id}T00:00:00.000Z`, testAcc: null, best: null, ...patch });
  return summary;
}

const model = { id: 4, name: 'pets', format: 'keras', classes: ['cat', 'dog'] } as ImportedModel;

describe('model options', () => {
  it('lists runs with a checkpoint that are not training, newest first, then imported models', () => {
    const runs = [run(1), run(2, { status: 'running' }), run(3, { status: 'cancelled' }), run(4, { hasCheckpoint: false, status: 'failed' })];
    expect(modelOptions(runs, [model]).map((o) => [o.key, o.label])).toEqual([
      ['run:3', 'Run 3 (cancelled)'],
      ['run:1', 'Run 1'],
      ['model:4', 'pets (imported keras)'],
    ]);
    // The newest run that finished wins over a newer cancelled one.
    expect(defaultModelKey(runs, [model])).toBe('run:1');
    expect(defaultModelKey([], [model])).toBe('model:4');
    expect(defaultModelKey([], [])).toBeNull();
  });

  it('turns a key into the model reference of predict.files and the parameters of suggestions.run', () => {
    expect(modelRefOf(choiceOf('run:3')!)).toEqual({ runId: 3 });
    expect(modelRefOf(choiceOf('run:3', 'last')!)).toEqual({ runId: 3, checkpoint: 'last' });
    expect(modelRefOf(choiceOf('model:4')!)).toEqual({ modelId: 4 });
    expect(choiceOf('run:0')).toBeNull();
    expect(choiceOf('toString')).toBeNull();
    expect(suggestParamsOf(null, 'unlabelled')).toEqual({ scope: 'unlabelled' });
    expect(suggestParamsOf(choiceOf('run:3'), 'all')).toEqual({ runId: 3, scope: 'all' });
    expect(suggestParamsOf(choiceOf('model:4'), 'unlabelled')).toEqual({ modelId: 4, scope: 'unlabelled' });
  });
});

describe('model caption', () => {
  // The caption reads only the file and the format.
  const info = (file: string, format: PredictModelInfo['format']): PredictModelInfo => ({ format, file, files: [file], classes: ['cat', 'dog'], preprocessing: {} as PredictModelInfo['preprocessing'], assumptions: [] });

  it('names the run and its checkpoint, or the imported model, rather than a checkpoint folder', () => {
    expect(modelCaption({ runId: 2 }, info('/p/runs/2/checkpoints/best', 'checkpoint'), [run(2, { name: 'tiny' })], [])).toBe('tiny · best checkpoint');
    expect(modelCaption({ runId: 7, checkpoint: 'last' }, info('/p/runs/7/checkpoints/last', 'checkpoint'), [], [])).toBe('Run 7 · last checkpoint');
    expect(modelCaption({ modelId: 4 }, info('/p/models/4/model.keras', 'keras'), [], [model])).toBe('pets · imported keras');
  });

  it('falls back to the file name and format for a model given by path, or one no longer listed', () => {
    expect(modelCaption({ modelPath: '/x/model.json' }, info('/x/model.json', 'tfjs'), [], [])).toBe('model.json (tfjs)');
    expect(modelCaption({ modelId: 9 }, info('C:\\m\\model.onnx', 'onnx'), [], [])).toBe('model.onnx (onnx)');
    expect(modelCaption(null, info('/x/model.h5', 'h5'), [], [])).toBe('model.h5 (h5)');
  });
});
