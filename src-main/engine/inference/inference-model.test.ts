// Model preparation and batched prediction in this process (cpu backend, small inputs).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { predictPixels } from './image-batches';
import { modelKey, prepareModel, type ModelSpec } from './inference-model';

const base: ModelSpec = { arch: 'mobilenet_v2', weights: 'none', includeTop: false, pooling: 'avg', layer: null, inputSize: 64, cacheDir: '/nonexistent' };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('prepareModel', () => {
  it('outputs one vector per image and keeps tensor memory flat across batches', async () => {
    const prepared = await prepareModel(tf, base);
    try {
      expect(prepared).toMatchObject({ dims: 1280, layer: 'out_relu', pooling: 'avg', scaling: { kind: 'keras', mode: 'tf' } });
      const pixels = [new Uint8Array(64 * 64 * 3).fill(10), new Uint8Array(64 * 64 * 3).fill(200)];
      const first = await predictPixels(tf, prepared, pixels);
      const tensors = tf.memory().numTensors;
      const second = await predictPixels(tf, prepared, pixels);
      expect(tf.memory().numTensors).toBe(tensors);
      expect(first.length).toBe(2 * 1280);
      expect(second).toEqual(first);
    } finally {
      prepared.dispose();
    }
  });

  it('scales pixels to 0–1 for the bundled nsfwjs trunk, which was trained that way', async () => {
    const prepared = await prepareModel(tf, { ...base, weights: 'bundled' });
    try {
      expect(prepared.scaling).toEqual({ kind: 'unit' });
      expect(prepared.weightsSource).toContain('bundled');
    } finally {
      prepared.dispose();
    }
  });

  it('refuses bundled weights for an architecture that has none', async () => {
    await expect(prepareModel(tf, { ...base, arch: 'resnet50', weights: 'bundled' })).rejects.toMatchObject({
      code: 'bad-request',
      message: 'ResNet50 has no bundled weights; use the ImageNet weights (download) or a weights file.',
    });
  });

  it('keys the cache by everything that changes the model', async () => {
    const keys = await Promise.all([
      modelKey(base),
      modelKey({ ...base, cacheDir: '/elsewhere' }),
      modelKey({ ...base, pooling: 'max' }),
      modelKey({ ...base, layer: 'block_16_project' }),
      modelKey({ ...base, inputSize: 96 }),
      modelKey({ ...base, weights: 'bundled' }),
    ]);
    expect(keys[1]).toBe(keys[0]);
    expect(new Set(keys).size).toBe(5);
  });
});
