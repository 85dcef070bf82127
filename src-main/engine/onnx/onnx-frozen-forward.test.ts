import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { SymbolicTensor } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTfjsFrozenForward } from '../inference/frozen-forward';
import { buildModel } from '../models/build-model';
import { createOnnxFrozenForward } from './onnx-frozen-forward';
import type { OnnxRuntime } from './ort-loader';
import { requireOnnxRuntime } from './test-support/ort-runtime';
import { maxAbsDiff, randomFloats, randomizeBatchNorms, smallModel } from './test-support/parity';

let tmp = '';
let runtime: OnnxRuntime;
beforeAll(async () => {
  await tf.setBackend('cpu');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-onnx-forward-'));
  runtime = await requireOnnxRuntime();
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const apply = (layer: { apply(x: SymbolicTensor): unknown }, x: SymbolicTensor) => layer.apply(x) as SymbolicTensor;

describe('createOnnxFrozenForward', () => {
  it('agrees with the tfjs forward on a prefix of MobileNetV2, with the same shapes and layers', async () => {
    const model = buildModel(tf, 'mobilenet_v2', { inputShape: [32, 32, 3], includeTop: false, pooling: 'avg' });
    randomizeBatchNorms(model);
    const outputs = ['block_13_expand_relu', 'global_average_pooling2d'];
    const onnx = await createOnnxFrozenForward(model, { outputs, onnxRuntime: runtime, threads: 2 });
    const tfjs = createTfjsFrozenForward(tf, model, { outputs });
    expect(onnx.description).toBe('onnxruntime-node 1.30.0, cpu, 2 threads');
    expect(onnx.outputShapes).toEqual(tfjs.outputShapes);
    expect(onnx.outputShapes).toEqual([[2, 2, 576], [1280]]);
    expect(onnx.outputLayers).toEqual(outputs);
    // A batch taken out of a larger buffer, as a caller filling batches in place would pass it.
    const buffer = randomFloats(5 * 32 * 32 * 3, 4);
    const batch = buffer.subarray(32 * 32 * 3, 4 * 32 * 32 * 3);
    const [a, b] = await Promise.all([onnx.run(batch, 3), tfjs.run(batch, 3)]);
    a.forEach((out, i) => expect(maxAbsDiff(out, b[i]!)).toBeLessThan(1e-4));
    await expect(onnx.run(batch, 2)).rejects.toThrow('needs 6144 floats');
    onnx.dispose();
    model.dispose();
  });

  it('caches the converted graph on disk and reuses it', async () => {
    const model = smallModel([8, 8, 3], (x) => apply(tf.layers.globalAveragePooling2d({ name: 'gap' }), apply(tf.layers.conv2d({ filters: 3, kernelSize: 3, name: 'conv' }), x)));
    const cacheDir = path.join(tmp, 'cache');
    const first = await createOnnxFrozenForward(model, { onnxRuntime: runtime, cacheDir });
    const second = await createOnnxFrozenForward(model, { onnxRuntime: runtime, cacheDir });
    expect(first.cacheHit).toBe(false);
    expect(second.cacheHit).toBe(true);
    expect(second.graphPath).toBe(first.graphPath);
    const input = randomFloats(8 * 8 * 3, 3);
    expect(await second.run(input, 1)).toEqual(await first.run(input, 1));

    // Different weights, different fingerprint: a new graph, never the stale one.
    const conv = model.getLayer('conv');
    conv.setWeights(conv.getWeights().map((w) => tf.mul(w, 2)));
    const changed = await createOnnxFrozenForward(model, { onnxRuntime: runtime, cacheDir });
    expect(changed.cacheHit).toBe(false);
    expect(changed.graphPath).not.toBe(first.graphPath);

    const keyed = await createOnnxFrozenForward(model, {
      onnxRuntime: runtime,
      cacheDir,
      outputs: ['conv'],
      key: { arch: 'tiny', weights: 'file:/w.h5:100:5', inputSize: [8, 8], pooling: null },
    });
    expect(path.basename(keyed.graphPath!)).toMatch(/^tiny-8x8-/);
    expect(fs.readdirSync(cacheDir)).toHaveLength(3);
    for (const f of [first, second, changed, keyed]) f.dispose();
    model.dispose();
  });

  it('refuses a provider the runtime does not have', async () => {
    const model = smallModel([4], (x) => apply(tf.layers.dense({ units: 2 }), x));
    await expect(createOnnxFrozenForward(model, { onnxRuntime: runtime, provider: 'cuda' })).rejects.toThrow('no working cuda provider');
    model.dispose();
  });
});
