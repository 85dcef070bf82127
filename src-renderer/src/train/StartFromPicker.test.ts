import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ImportedModel } from '../../../src-main/api/types/predict';
import type { RunDetail, RunSummary, TrainingConfig } from '../../../src-main/api/types/runs';
import { setApiClient } from '../api/use-api';
import { useTrainingDraftStore } from '../stores/useTrainingDraftStore';
import { fakeApi, type FakeApi } from '../test-support/fake-api';
import StartFromPicker from './StartFromPicker.vue';
import { defaultTrainingConfig } from './training-defaults';

let api: FakeApi;
const runConfig: TrainingConfig = {
  ...defaultTrainingConfig(),
  base: { arch: 'inception_v3', weights: 'bundled', inputSize: 160 },
  head: { pooling: 'max', dropout: 0.2, layers: [{ units: 64 }], output: 'softmax' },
};
const summary = (over: Partial<RunSummary>): RunSummary => ({
  id: 1,
  name: 'first',
  status: 'completed',
  arch: 'inception_v3',
  classes: ['cat', 'dog'],
  createdAt: '2026-12-01T10:00:00Z',
  finishedAt: '2026-12-01T10:05:00Z',
  epochs: 5,
  best: null,
  testAcc: 0.9,
  backend: 'wasm',
  runtime: 'onnx',
  seconds: 300,
  error: null,
  hasCheckpoint: true,
  ...over,
});
const pets: ImportedModel = {
  id: 4,
  name: 'pets.keras',
  format: 'keras',
  path: '/p/models/model-4/pets.keras',
  copied: true,
  classes: ['cat', 'dog'],
  classMap: { cat: 'cat', dog: 'dog' },
  preprocessing: { width: 96, height: 96, resize: 'stretch', interpolation: 'bilinear', exifOrientation: true, alpha: 'drop', channelOrder: 'RGB', layout: 'NHWC', dtype: 'float32', mode: 'tf', scale: 1 / 127.5, offset: -1, mean: [0, 0, 0], std: [1, 1, 1] },
  assumptions: [],
  sourcePath: '/home/u/pets.keras',
  createdAt: '2026-12-01T11:00:00Z',
};

beforeEach(() => {
  setActivePinia(createPinia());
  api = fakeApi({
    'runs.list': () => [summary({}), summary({ id: 2, name: 'running', status: 'running' }), summary({ id: 3, name: 'broken', hasCheckpoint: false, status: 'failed' })],
    'runs.get': () => ({ config: runConfig }) as RunDetail,
    'models.imported': () => [pets, { ...pets, id: 5, name: 'pets.onnx', format: 'onnx' }],
  });
  setApiClient(api);
});

describe('StartFromPicker', () => {
  it("continues from a finished run: its base, size and head come along, and changing the architecture afterwards lets go of it", async () => {
    const draft = useTrainingDraftStore();
    const wrapper = mount(StartFromPicker);
    await flushPromises();
    await wrapper.get('[data-testid="start-from-run"]').setValue(true);
    await flushPromises();
    expect(draft.config.startFrom).toEqual({ kind: 'run', runId: 1, checkpoint: 'best' });
    expect(draft.config.base).toEqual(runConfig.base);
    expect(draft.config.head).toEqual(runConfig.head);
    // Only finished runs with a checkpoint are offered.
    expect(wrapper.findAll('[data-testid="start-from-run-select"] option').map((o) => o.text())).toEqual(['first — test accuracy 90.0%']);
    await wrapper.get('[data-testid="start-from-checkpoint"]').setValue('last');
    await flushPromises();
    expect(draft.config.startFrom).toEqual({ kind: 'run', runId: 1, checkpoint: 'last' });
    draft.setBase('mobilenet_v2', 'bundled', 224);
    expect(draft.config.startFrom).toBeUndefined();
  });

  it('continues from an imported model (not an ONNX one), preparing inputs as it was trained', async () => {
    const draft = useTrainingDraftStore();
    const wrapper = mount(StartFromPicker);
    await flushPromises();
    await wrapper.get('[data-testid="start-from-model"]').setValue(true);
    expect(draft.config.startFrom).toEqual({ kind: 'model', modelId: 4 });
    expect(draft.config.base).toMatchObject({ weights: 'imagenet', inputSize: 96 });
    expect(wrapper.findAll('[data-testid="start-from-model-select"] option').map((o) => o.text())).toEqual(['pets.keras (2 classes)']);
    await wrapper.get('[data-testid="start-from-base"]').setValue(true);
    expect(draft.config.startFrom).toBeUndefined();
  });

  it('says why a choice is not there yet', async () => {
    api.handlers['runs.list'] = () => [];
    api.handlers['models.imported'] = () => [];
    const wrapper = mount(StartFromPicker);
    await flushPromises();
    expect(wrapper.get('[data-testid="start-from-run"]').attributes('disabled')).toBeDefined();
    expect(wrapper.text()).toContain('no finished run yet');
    expect(wrapper.text()).toContain('none imported');
  });
});
