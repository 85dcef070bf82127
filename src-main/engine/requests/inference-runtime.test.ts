// embed and classify on ONNX Runtime and on tfjs, called in this process (cpu backend, 64 px).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tf } from '../backend';
import { createInferenceModels, type InferenceModels } from '../inference/acquire-model';
import { writeMobilenetTopH5 } from '../inference/test-support/imagenet-top-h5';
import { readNpy } from '../inference/test-support/read-npy';
import { writeNotAnImage, writeTexturedImages } from '../inference/test-support/test-images';
import { loadOnnxRuntime } from '../onnx/ort-loader';
import { fakeLoader } from '../onnx/test-support/fake-ort';
import { maxAbsDiff } from '../onnx/test-support/parity';
import { createClassifyHandler } from './classify';
import { createEmbedHandler } from './embed';
import { createOnnxCheckHandler } from './onnx-check';
import { testContext } from './test-support/engine-context';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-inference-runtime-'));
const cacheDir = path.join(dir, 'cache');
let images: string[];
let models: InferenceModels;
/** ONNX Runtime as the engine sees it when the package cannot be imported (the import seam). */
const missingOnnx = () => loadOnnxRuntime(fakeLoader({}).load);

beforeAll(async () => {
  await tf.setBackend('cpu');
  images = await writeTexturedImages(path.join(dir, 'images'), 5);
  models = createInferenceModels();
});
afterAll(() => {
  models.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

const embedParams = (name: string) => ({ arch: 'mobilenet_v2' as const, weights: 'bundled' as const, inputSize: 64, batchSize: 2, cacheDir, out: path.join(dir, `${name}.npy`) });

describe('embed and classify choose their runtime', () => {
  it('embed through ONNX Runtime writes the vectors tfjs writes (within 1e-4), and says which ran', async () => {
    const embed = createEmbedHandler(models);
    const corrupt = writeNotAnImage(path.join(dir, 'images', 'corrupt.jpg'));
    const list = [images[0]!, corrupt, ...images.slice(1)];
    const viaOnnx = await embed({ ...embedParams('onnx'), images: list }, testContext(tf as unknown as Tf));
    const viaTfjs = await embed({ ...embedParams('tfjs'), images: list, runtime: 'tfjs' }, testContext(tf as unknown as Tf));
    expect(viaOnnx).toMatchObject({ rows: 5, dims: 1280, runtime: 'onnx', runtimeDetails: 'onnxruntime-node 1.30.0, cpu, 1 thread, off the main thread', fallbackReason: null });
    expect(viaTfjs).toMatchObject({ rows: 5, dims: 1280, runtime: 'tfjs', runtimeDetails: 'tfjs cpu', fallbackReason: null });
    expect(viaOnnx.failed).toEqual([{ path: corrupt, reason: expect.stringMatching(/not an image/) }]);
    const a = readNpy(viaOnnx.out);
    const b = readNpy(viaTfjs.out);
    expect(a.shape).toEqual([5, 1280]);
    expect(maxAbsDiff(a.values, b.values)).toBeLessThan(1e-4);
    // The images differ, so do their vectors: the comparison is not between zeros.
    expect(maxAbsDiff(a.values.subarray(0, 1280), a.values.subarray(1280, 2560))).toBeGreaterThan(1e-2);
    expect(fs.readFileSync(viaOnnx.indexOut, 'utf8')).toBe(fs.readFileSync(viaTfjs.indexOut, 'utf8'));
  });

  it('embed falls back to tfjs when ONNX Runtime does not load, and the reply says why', async () => {
    const withoutOnnx = createInferenceModels({ loadOnnx: missingOnnx });
    try {
      const result = await createEmbedHandler(withoutOnnx)({ ...embedParams('fallback'), images }, testContext(tf as unknown as Tf));
      expect(result).toMatchObject({ rows: 5, runtime: 'tfjs', fallbackReason: expect.stringMatching(/^onnxruntime-node cannot be used: Cannot find package 'onnxruntime-node'/) });
      await expect(createEmbedHandler(withoutOnnx)({ ...embedParams('forced'), images, runtime: 'onnx' }, testContext(tf as unknown as Tf))).rejects.toMatchObject({
        code: 'engine-unavailable',
      });
      expect(fs.existsSync(path.join(dir, 'forced.npy'))).toBe(false);
    } finally {
      withoutOnnx.dispose();
    }
  });

  it('classify names the same class on both runtimes and says which ran', async () => {
    const file = path.join(dir, 'mobilenet_v2_top.h5');
    await writeMobilenetTopH5(tf as unknown as Tf, file, 64, 281); // 281 = n02123045 tabby
    const classify = createClassifyHandler(models);
    const params = { arch: 'mobilenet_v2' as const, weights: { file }, images: images.slice(0, 3), top: 2, inputSize: 64, cacheDir };
    const viaOnnx = await classify(params, testContext(tf as unknown as Tf));
    const viaTfjs = await classify({ ...params, runtime: 'tfjs' }, testContext(tf as unknown as Tf));
    expect(viaOnnx).toMatchObject({ runtime: 'onnx', fallbackReason: null });
    expect(viaTfjs).toMatchObject({ runtime: 'tfjs', fallbackReason: null });
    for (const [i, result] of viaOnnx.results.entries()) {
      const other = viaTfjs.results[i]!;
      if (!('predictions' in result) || !('predictions' in other)) throw new Error('expected predictions');
      expect(result.predictions[0]).toMatchObject({ classId: 'n02123045', label: 'tabby' });
      expect(result.predictions.map((p) => p.classId)).toEqual(other.predictions.map((p) => p.classId));
      expect(Math.abs(result.predictions[0]!.probability - other.predictions[0]!.probability)).toBeLessThan(1e-4);
    }
  });

  it('onnxCheck compares both runtimes on the bundled MobileNetV2 with a head, or says ONNX Runtime is missing', async () => {
    const before = tf.memory().numTensors;
    const check = await createOnnxCheckHandler()({ inputSize: 64, images: 2 }, testContext(tf as unknown as Tf));
    expect(check).toMatchObject({ inputSize: 64, images: 2, onnx: 'onnxruntime-node 1.30.0, cpu, 1 thread', tfjs: 'tfjs cpu', tolerance: 1e-4, agrees: true });
    expect(check.outputs.map((o) => [o.layer, o.size])).toEqual([['onnx_check_features', 1280], ['onnx_check_scores', 5]]);
    for (const output of check.outputs) {
      expect(output.maxAbsDiff).toBeLessThan(1e-4);
      expect(output.maxAbs).toBeGreaterThan(0.01);
    }
    expect(tf.memory().numTensors).toBe(before);
    await expect(createOnnxCheckHandler(missingOnnx)({}, testContext(tf as unknown as Tf))).rejects.toMatchObject({
      code: 'engine-unavailable',
      message: expect.stringMatching(/^onnxruntime-node cannot be used/),
    });
  });
});
