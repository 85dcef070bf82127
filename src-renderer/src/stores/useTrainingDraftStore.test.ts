import { flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TrainingConfig } from '../../../src-main/api/types/runs';
import { setApiClient } from '../api/use-api';
import { fakeApi } from '../test-support/fake-api';
import { useAppStore } from './useAppStore';
import { useTrainingDraftStore } from './useTrainingDraftStore';

let last: TrainingConfig | null | Error = null;

beforeEach(() => {
  setActivePinia(createPinia());
  localStorage.clear();
  last = null;
  setApiClient(
    fakeApi({
      'training.lastConfig': () => {
        if (last instanceof Error) throw last;
        // A fresh copy, as an answer over the wire is.
        return last && structuredClone(last);
      },
    }),
  );
});

const lastRun = (): TrainingConfig => ({
  base: { arch: 'resnet50', weights: 'imagenet', inputSize: 160 },
  head: { pooling: 'max', dropout: 0.3, layers: [{ units: 128, activation: 'gelu', dropout: 0.1 }], output: 'softmax' },
  freeze: { kind: 'from', block: 'conv5' },
  optimizer: { name: 'sgd', learningRate: 0.01, momentum: 0.9 },
  schedule: { kind: 'cosine', warmupEpochs: 1 },
  epochs: 4,
  batchSize: 16,
  twoStage: null,
  earlyStopping: { monitor: 'valAcc', patience: 2 },
  classWeights: { kind: 'balanced' },
  labelSmoothing: 0.1,
  augment: { horizontalFlip: true },
  augmentMode: { kind: 'fresh' },
  seed: 7,
  useCache: false,
  runtime: 'tfjs',
});

describe('useTrainingDraftStore', () => {
  it('starts from the defaults when the project has no last run', async () => {
    const draft = useTrainingDraftStore();
    await draft.load();
    expect(draft.source).toBe('defaults');
    expect(draft.config).toEqual({
      base: { arch: 'mobilenet_v2', weights: 'bundled', inputSize: 224 },
      head: { pooling: 'avg', dropout: 0, layers: [], output: 'softmax' },
      freeze: { kind: 'head-only' },
      optimizer: { name: 'adam', learningRate: 1e-3 },
      schedule: { kind: 'constant' },
      epochs: 10,
      batchSize: 32,
      twoStage: null,
      earlyStopping: null,
      classWeights: { kind: 'none' },
      labelSmoothing: 0,
      augment: null,
      augmentMode: { kind: 'cached', variants: 4 },
      seed: 42,
      useCache: true,
      runtime: 'auto',
    });
  });

  it("starts from the last run's config, once", async () => {
    last = lastRun();
    const draft = useTrainingDraftStore();
    await Promise.all([draft.load(), draft.load()]);
    expect(draft.source).toBe('last-run');
    expect(draft.config).toEqual(lastRun());
    draft.config.epochs = 9;
    await draft.load();
    expect(draft.config.epochs).toBe(9);
    // The last run turned two-stage off on purpose: unfreezing more does not turn it back on.
    draft.setFreeze({ kind: 'all' });
    expect(draft.config.twoStage).toBeNull();
    draft.reset();
    expect(draft.config.base.arch).toBe('mobilenet_v2');
    expect(draft.source).toBe('defaults');
  });

  it('shows the defaults with a message when the last config cannot be read', async () => {
    last = new Error('database is locked');
    const draft = useTrainingDraftStore();
    await draft.load();
    expect(draft.loaded).toBe(true);
    expect(draft.loadError).toContain('database is locked');
    expect(draft.config.base.arch).toBe('mobilenet_v2');
  });

  it('switches two-stage on when blocks unfreeze, keeps fine-tune epochs with the epochs, and remembers a no', () => {
    const draft = useTrainingDraftStore();
    draft.setFreeze({ kind: 'from', block: 'block_16' });
    expect(draft.config.twoStage).toEqual({ fineTuneEpochs: 10, lrFactor: 0.1 });
    draft.setEpochs(3);
    expect(draft.config.twoStage).toEqual({ fineTuneEpochs: 3, lrFactor: 0.1 });
    draft.config.twoStage!.fineTuneEpochs = 5;
    draft.setEpochs(4);
    expect(draft.config.twoStage!.fineTuneEpochs).toBe(5);
    draft.setTwoStage(false);
    draft.setFreeze({ kind: 'head-only' });
    draft.setFreeze({ kind: 'all' });
    expect(draft.config.twoStage).toBeNull();
    draft.setTwoStage(true);
    expect(draft.config.twoStage).toEqual({ fineTuneEpochs: 4, lrFactor: 0.1 });
  });

  it('starts the freeze plan again for another architecture, and trains everything from scratch', () => {
    const draft = useTrainingDraftStore();
    draft.setFreeze({ kind: 'from', block: 'block_16' });
    draft.setBase('mobilenet_v2', 'bundled', 96);
    expect(draft.config.freeze).toEqual({ kind: 'from', block: 'block_16' });
    draft.setBase('inception_v3', 'bundled', 299);
    expect(draft.config.freeze).toEqual({ kind: 'head-only' });
    draft.setBase('inception_v3', 'none', 299);
    expect(draft.config.freeze).toEqual({ kind: 'all' });
    draft.setBase('inception_v3', 'imagenet', 299);
    expect(draft.config.freeze).toEqual({ kind: 'head-only' });
    // Training everything on pretrained weights is a choice: another input size keeps it.
    draft.setFreeze({ kind: 'all' });
    draft.setBase('inception_v3', 'imagenet', 224);
    expect(draft.config.freeze).toEqual({ kind: 'all' });
  });

  it('brings back the last augmentation when switched on again, and hands out plain data', async () => {
    const draft = useTrainingDraftStore();
    draft.setAugment(true);
    expect(draft.config.augment).toMatchObject({ horizontalFlip: true, rotationDegrees: 10 });
    draft.config.augment!.hue = 0.2;
    draft.setAugment(false);
    expect(draft.config.augment).toBeNull();
    draft.setAugment(true);
    expect(draft.config.augment!.hue).toBe(0.2);
    const plain = draft.snapshot();
    expect(plain).toEqual(draft.config);
    expect(structuredClone(plain)).toEqual(plain);
    draft.markField('epochs', 'Enter a value.');
    expect(draft.hasInvalidFields).toBe(true);
    draft.markField('epochs', null);
    await flushPromises();
    expect(draft.hasInvalidFields).toBe(false);
  });

  describe('kept between visits of a project', () => {
    const open = (dir: string) => {
      setActivePinia(createPinia());
      useAppStore().project = { dir, name: 'p', schemaVersion: 5, createdAt: '2026-12-01T00:00:00Z' };
      return useTrainingDraftStore();
    };

    it('edits survive a reload until a run starts; then the last run is the start again', async () => {
      last = lastRun();
      let draft = open('/projects/birds');
      await draft.load();
      draft.setEpochs(17);
      draft.config.optimizer.learningRate = 0.0005;
      await flushPromises();

      draft = open('/projects/birds');
      await draft.load();
      expect(draft.source).toBe('saved-draft');
      expect(draft.config.epochs).toBe(17);
      expect(draft.config.optimizer.learningRate).toBe(0.0005);

      // Another project has its own draft.
      const other = open('/projects/shop');
      await other.load();
      expect(other.source).toBe('last-run');
      expect(other.config.epochs).toBe(4);
      // Looking without editing keeps nothing.
      await flushPromises();
      expect(localStorage.getItem('graft:training-draft:/projects/shop')).toBeNull();

      draft = open('/projects/birds');
      await draft.load();
      draft.forgetSaved();
      draft = open('/projects/birds');
      await draft.load();
      expect(draft.source).toBe('last-run');
    });

    it("going back to the last run's settings or the defaults drops the kept edits", async () => {
      last = lastRun();
      let draft = open('/projects/birds');
      await draft.load();
      draft.setEpochs(17);
      await flushPromises();
      draft = open('/projects/birds');
      await draft.load();
      await draft.useLastRun();
      expect(draft.source).toBe('last-run');
      expect(draft.config.epochs).toBe(4);
      draft.reset();
      await flushPromises();
      draft = open('/projects/birds');
      await draft.load();
      expect(draft.source).toBe('last-run');
    });

    it('a kept draft that no longer reads as a config is ignored', async () => {
      localStorage.setItem('graft:training-draft:/projects/birds', JSON.stringify({ base: { arch: 'mobilenet_v2' }, epochs: 3 }));
      last = lastRun();
      const draft = open('/projects/birds');
      await draft.load();
      expect(draft.source).toBe('last-run');
      localStorage.setItem('graft:training-draft:/projects/birds', '{not json');
      const again = open('/projects/birds');
      await again.load();
      expect(again.source).toBe('last-run');
    });
  });
});
