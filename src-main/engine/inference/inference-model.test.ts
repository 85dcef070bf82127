// Model preparation and batched prediction in this process (cpu backend, small inputs).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../onnx/test-support/parity';
import { modelKey, onnxCacheDir, prepareModel, type ModelSpec } from './inference-model';
import { scalePixels } from './scale-pixels';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-inference-model-'));
const base: ModelSpec = {
  arch: 'mobilenet_v2',
  weights: 'none',
  includeTop: false,
  pooling: 'avg',
  layer: null,
  inputSize: 64,
  cacheDir: dir,
  runtime: 'tfjs',
  threads: 1,
};
const unavailable = async () => ({ available: false as const, error: 'onnxruntime-node cannot be used: not installed' });

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Two flat images, 10 and 200 in every channel, scaled for the model. */
function twoImages(side: number, scaling: Parameters<typeof scalePixels>[1]): Float32Array {
  const pixels = new Uint8Array(2 * side * side * 3);
  pixels.fill(10, 0, side * side * 3).fill(200, side * side * 3);
  return scalePixels(pixels, scaling);
}

describe('prepareModel', () => {
  it('outputs one vector per image and keeps tensor memory flat across batches', async () => {
    const prepared = await prepareModel(tf, base);
    try {
      expect(prepared).toMatchObject({ dims: 1280, layer: 'out_relu', pooling: 'avg', scaling: { kind: 'keras', mode: 'tf' }, fallbackReason: null });
      expect(prepared.forward.runtime).toBe('tfjs');
      const batch = twoImages(64, prepared.scaling);
      const [first] = await prepared.forward.run(batch, 2);
      const tensors = tf.memory().numTensors;
      const [second] = await prepared.forward.run(batch, 2);
      expect(tf.memory().numTensors).toBe(tensors);
      expect(first!.length).toBe(2 * 1280);
      expect(second).toEqual(first);
    } finally {
      prepared.dispose();
    }
  });

  it('runs on ONNX Runtime when it loads, with the vectors tfjs gives, and frees the tfjs weights', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const onnx = await prepareModel(tf, { ...base, weights: 'bundled', runtime: 'auto' });
    const tfjs = await prepareModel(tf, { ...base, weights: 'bundled', runtime: 'tfjs' });
    try {
      expect(onnx.forward.runtime).toBe('onnx');
      expect(onnx.forward.description).toMatch(/^onnxruntime-node 1\.30\.0, cpu, 1 thread, off the main thread$/);
      const batch = twoImages(64, onnx.scaling);
      const [a] = await onnx.forward.run(batch, 2);
      const [b] = await tfjs.forward.run(batch, 2);
      expect(maxAbsDiff(a!, b!)).toBeLessThan(1e-4);
    } finally {
      onnx.dispose();
      tfjs.dispose();
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('caches the converted graph on disk per model, but not for random weights', async () => {
    const cacheDir = path.join(dir, 'graph-cache');
    const graphs = () => (fs.existsSync(onnxCacheDir(cacheDir)) ? fs.readdirSync(onnxCacheDir(cacheDir)).filter((f) => f.endsWith('.onnx')) : []);
    (await prepareModel(tf, { ...base, cacheDir, weights: 'none', runtime: 'onnx' })).dispose();
    expect(graphs()).toEqual([]);
    (await prepareModel(tf, { ...base, cacheDir, weights: 'bundled', runtime: 'onnx' })).dispose();
    const first = graphs();
    expect(first).toHaveLength(1);
    expect(first[0]).toMatch(/^mobilenet_v2-64x64-[0-9a-f]{24}\.onnx$/);
    const written = fs.statSync(path.join(onnxCacheDir(cacheDir), first[0]!)).mtimeMs;
    (await prepareModel(tf, { ...base, cacheDir, weights: 'bundled', runtime: 'onnx', threads: 2 })).dispose();
    expect(graphs()).toEqual(first);
    expect(fs.statSync(path.join(onnxCacheDir(cacheDir), first[0]!)).mtimeMs).toBe(written);
    (await prepareModel(tf, { ...base, cacheDir, weights: 'bundled', runtime: 'onnx', pooling: 'max' })).dispose();
    expect(graphs()).toHaveLength(2);
  });

  it("falls back to tfjs under 'auto' when ONNX Runtime does not load, saying why; 'onnx' fails instead", async () => {
    const prepared = await prepareModel(tf, { ...base, runtime: 'auto' }, { loadOnnx: unavailable });
    try {
      expect(prepared.forward.runtime).toBe('tfjs');
      expect(prepared.fallbackReason).toBe('onnxruntime-node cannot be used: not installed');
    } finally {
      prepared.dispose();
    }
    await expect(prepareModel(tf, { ...base, runtime: 'onnx' }, { loadOnnx: unavailable })).rejects.toMatchObject({ code: 'engine-unavailable' });
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

  it('keys the cache by everything that changes the model or how it runs', async () => {
    const keys = await Promise.all([
      modelKey(base),
      modelKey({ ...base, cacheDir: '/elsewhere' }),
      modelKey({ ...base, threads: 2 }),
      modelKey({ ...base, pooling: 'max' }),
      modelKey({ ...base, layer: 'block_16_project' }),
      modelKey({ ...base, inputSize: 96 }),
      modelKey({ ...base, weights: 'bundled' }),
      modelKey({ ...base, runtime: 'onnx' }),
      modelKey({ ...base, runtime: 'onnx', threads: 2 }),
    ]);
    // tfjs ignores the thread count and the cache folder.
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).toBe(keys[0]);
    expect(new Set(keys).size).toBe(7);
  });
});
