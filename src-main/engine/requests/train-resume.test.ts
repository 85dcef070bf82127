import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetSnapshot } from '../../api/types/runs';
import { ActivationStore, prefixKey } from '../training/activation-store';
import { writeSeparableDataset } from '../training/test-support/separable-images';
import { epochsOf, smallConfig, smallConfig as baseConfig, testContext, trainTempDir } from '../training/test-support/train-fixtures';
import { runTrain } from './train';

const tmp = trainTempDir();
let dataset: DatasetSnapshot;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dataset = await writeSeparableDataset(`${tmp.dir}/images`, { classes: 2, perClass: 10, size: 40 });
});
afterAll(() => tmp.cleanup());

describe.each(['tfjs', 'auto'] as const)('cancel and resume, steps on %s', (runtime) => {
  const smallConfig = (over: Parameters<typeof baseConfig>[0] = {}) => baseConfig({ runtime, ...over });

  it('a cancelled run keeps its last checkpoint, and resuming it finishes the remaining epochs with the same history', async () => {
    const config = smallConfig({ epochs: 4 });
    const full = await runTrain(tmp.params(`reference-${runtime}`, config, dataset), testContext());
    const events: unknown[] = [];
    await expect(runTrain(tmp.params(`cut-${runtime}`, config, dataset), testContext(events, { cancelAfter: 9 }))).rejects.toMatchObject({ code: 'cancelled' });
    const done = epochsOf(events).length;
    expect(done).toBeGreaterThanOrEqual(1);
    expect(done).toBeLessThan(4);
    expect(fs.existsSync(path.join(tmp.dir, `cut-${runtime}`, 'checkpoints', 'last', 'model.json'))).toBe(true);
    const resumed = await runTrain(tmp.params(`cut-${runtime}`, config, dataset, true), testContext());
    expect(resumed.history).toHaveLength(4);
    resumed.history.forEach((h, i) => {
      expect(h.epoch).toBe(i);
      expect(h.loss).toBeCloseTo(full.history[i]!.loss, 4);
    });
  }, 180_000);

  it('frees every tensor of an epoch by its end', async () => {
    const counts: number[] = [];
    const events: unknown[] = [];
    const ctx = testContext<'train'>(events);
    const emit = ctx.emit;
    ctx.emit = (e) => {
      if (e.type === 'epoch') counts.push(tf.memory().numTensors);
      emit(e);
    };
    await runTrain(tmp.params(`memory-${runtime}`, smallConfig({ epochs: 4, head: { pooling: 'avg', layers: [{ units: 16, dropout: 0.2 }] } }), dataset), ctx);
    expect(new Set(counts).size).toBe(1);
  }, 120_000);
});

describe('cache', () => {
  it('keys the cache by image content, weights, input and cut: any change misses, nothing else does', async () => {
    const identity = { arch: 'mobilenet_v2', weights: 'bundled:x', inputSize: 32, scaling: 'unit', cut: ['head_pool'], weightsHash: 'abc' };
    const key = prefixKey(identity);
    expect(prefixKey({ ...identity })).toBe(key);
    for (const change of [{ weights: 'file:/w.h5:1:2' }, { inputSize: 64 }, { cut: ['out_relu'] }, { weightsHash: 'abd' }, { scaling: 'tf' }]) {
      expect(prefixKey({ ...identity, ...change })).not.toBe(key);
    }
    const store = new ActivationStore(path.join(tmp.dir, 'keys'), key, 4);
    const a = 'a'.repeat(64);
    await store.write(a, 0, Float32Array.of(1, 2, 3, 4));
    expect(await store.read(a, 0)).toEqual(Float32Array.of(1, 2, 3, 4));
    expect(await store.read('b'.repeat(64), 0)).toBeNull();
    expect(await store.read(a, 1)).toBeNull();
    expect(store.stats).toEqual({ hits: 1, misses: 2, bytes: 32 });
    // A truncated pack (a disk that filled up mid-write by another tool) is a miss, not garbage, for the next run that opens the cache.
    const packs = path.join(tmp.dir, 'keys', key, 'packs');
    for (const file of fs.readdirSync(packs)) fs.truncateSync(path.join(packs, file), 8);
    expect(await new ActivationStore(path.join(tmp.dir, 'keys'), key, 4).read(a, 0)).toBeNull();
  });

  it('an edited image is computed again; the others come from the cache', async () => {
    const config = smallConfig({ epochs: 1 });
    await runTrain(tmp.params('warm', config, dataset), testContext());
    const edited = { ...dataset, images: dataset.images.map((image, i) => (i === 0 ? { ...image, contentHash: 'f'.repeat(64) } : image)) };
    const events: unknown[] = [];
    await runTrain(tmp.params('after-edit', config, edited), testContext(events));
    const last = (events as { type: string; misses?: number; hits?: number }[]).filter((e) => e.type === 'cache').at(-1);
    expect(last).toMatchObject({ misses: 1, hits: 19 });
  }, 120_000);
});
