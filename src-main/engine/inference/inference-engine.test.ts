// classify and embed through the real engine process (wasm backend, small input sizes).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../host/engine-client';
import { forkSpawner } from '../host/engine-process';
import { indexPathFor, partialPathOf } from './embedding-files';
import { writeMobilenetTopH5 } from './test-support/imagenet-top-h5';
import { readNpy } from './test-support/read-npy';
import { writeColourImages, writeNotAnImage } from './test-support/test-images';

const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'worker', 'engine-main.ts');
const spawner = forkSpawner(entry, { execArgv: ['--import', 'tsx'], env: { ...process.env, GRAFT_BACKEND: '@tensorflow/tfjs-backend-wasm' } });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-inference-'));
let client: EngineClient;
let images: string[];
let corrupt: string;

beforeAll(async () => {
  client = new EngineClient(spawner);
  images = await writeColourImages(path.join(dir, 'images'), 10);
  corrupt = writeNotAnImage(path.join(dir, 'images', 'corrupt.jpg'));
  await client.start();
});

afterAll(() => {
  client.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('embed in the engine process', () => {
  it('writes one 1280-value row per readable image, a row,path index, and lists the unreadable one', async () => {
    const out = path.join(dir, 'out', 'features.npy');
    const progress: number[] = [];
    const result = await client.request(
      'embed',
      { arch: 'mobilenet_v2', weights: 'none', images: [images[0]!, corrupt, ...images.slice(1)], inputSize: 96, batchSize: 4, out },
      { onEvent: (p) => progress.push(p.done) },
    );
    expect(result).toMatchObject({ rows: 10, dims: 1280, out, indexOut: indexPathFor(out), layer: 'out_relu', pooling: 'avg', inputSize: 96 });
    // ONNX Runtime loads here, so 'auto' runs on it.
    expect(result).toMatchObject({ runtime: 'onnx', fallbackReason: null });
    expect(result.failed).toEqual([{ path: corrupt, reason: expect.stringMatching(/not an image/) }]);
    expect(progress).toEqual([0, 4, 8, 11]);
    const npy = readNpy(out);
    expect(npy.shape).toEqual([10, 1280]);
    expect(npy.values.every(Number.isFinite)).toBe(true);
    // Distinct images give distinct vectors, in the index's order.
    expect(npy.values.subarray(0, 1280)).not.toEqual(npy.values.subarray(1280, 2560));
    const csv = fs.readFileSync(indexPathFor(out), 'utf8').trim().split('\n');
    expect(csv).toEqual(['row,path', ...images.map((p, i) => `${i},${p}`)]);
    expect(fs.existsSync(partialPathOf(out))).toBe(false);
  });

  it('takes features from a named layer, pooled or flattened', async () => {
    const pooled = await client.request('embed', {
      arch: 'mobilenet_v2', weights: 'none', images: images.slice(0, 2), inputSize: 96, layer: 'block_16_project', pooling: 'max', out: path.join(dir, 'layer-max.npy'),
    });
    expect(pooled).toMatchObject({ rows: 2, dims: 320, layer: 'block_16_project', pooling: 'max' });
    // 96 / 16 = 6: block_13_expand_relu is a 6×6×576 map, flattened without pooling.
    const flat = await client.request('embed', {
      arch: 'mobilenet_v2', weights: 'none', images: images.slice(0, 2), inputSize: 96, layer: 'block_13_expand_relu', out: path.join(dir, 'layer-flat.npy'),
    });
    expect(flat).toMatchObject({ rows: 2, dims: 6 * 6 * 576, pooling: null });
    expect(readNpy(path.join(dir, 'layer-flat.npy')).shape).toEqual([2, 20736]);
    await expect(
      client.request('embed', { arch: 'mobilenet_v2', weights: 'none', images, inputSize: 96, layer: 'no_such_layer', out: path.join(dir, 'x.npy') }),
    ).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/no layer named "no_such_layer".*out_relu/) });
  });

  it('embeds with the bundled trunk offline', async () => {
    const result = await client.request('embed', { arch: 'mobilenet_v2', weights: 'bundled', images: images.slice(0, 3), inputSize: 96, out: path.join(dir, 'bundled.npy') });
    expect(result).toMatchObject({ rows: 3, dims: 1280, weightsSource: expect.stringContaining('bundled') });
  });

  it('cancels between batches, removes the partial files and stays usable', async () => {
    const many = Array.from({ length: 40 }, (_, i) => images[i % images.length]!);
    const out = path.join(dir, 'cancelled.npy');
    const controller = new AbortController();
    const run = client.request(
      'embed',
      { arch: 'mobilenet_v2', weights: 'none', images: many, inputSize: 96, batchSize: 2, out },
      { signal: controller.signal, onEvent: (p) => p.done >= 4 && controller.abort() },
    );
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    await expect.poll(() => fs.existsSync(partialPathOf(out)) || fs.existsSync(partialPathOf(indexPathFor(out))), { timeout: 5000 }).toBe(false);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.existsSync(indexPathFor(out))).toBe(false);
    const again = await client.request('embed', { arch: 'mobilenet_v2', weights: 'none', images: images.slice(0, 1), inputSize: 96, out });
    expect(again.rows).toBe(1);
  });
});

describe('classify in the engine process', () => {
  it('names the ImageNet class of each image with weights from a Keras .h5 file', async () => {
    const file = path.join(dir, 'mobilenet_v2_top.h5');
    await tf.setBackend('cpu');
    await writeMobilenetTopH5(tf, file, 96, 281); // 281 = n02123045 tabby
    const result = await client.request('classify', { arch: 'mobilenet_v2', weights: { file }, images: [images[0]!, corrupt, images[1]!], top: 3, inputSize: 96 });
    expect(result.weightsSource).toContain('mobilenet_v2_top.h5');
    expect(result.results).toHaveLength(3);
    expect(result.results[1]).toEqual({ path: corrupt, error: expect.stringMatching(/not an image/) });
    for (const r of [result.results[0]!, result.results[2]!]) {
      if (!('predictions' in r)) throw new Error(`expected predictions, got ${JSON.stringify(r)}`);
      expect(r.predictions).toHaveLength(3);
      expect(r.predictions[0]).toMatchObject({ classId: 'n02123045', label: 'tabby' });
      expect(r.predictions[0]!.probability).toBeGreaterThan(0.99);
    }
  });

  it('refuses the bundled weights, which have no ImageNet classifier', async () => {
    await expect(client.request('classify', { arch: 'mobilenet_v2', weights: 'bundled', images, top: 5 })).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringMatching(/no ImageNet classifier.*ImageNet weights \(download\) or a Keras file with a 1000-class top/),
    });
  });

  it('fails offline with the download manager\'s message', async () => {
    const cacheDir = path.join(dir, 'empty-cache');
    // Port 9 (discard) on loopback refuses the connection, as a machine without network does.
    const weightsBaseUrl = 'http://127.0.0.1:9/';
    const run = client.request('classify', { arch: 'mobilenet_v2', weights: 'imagenet', images, top: 5, inputSize: 96, cacheDir, weightsBaseUrl });
    await expect(run).rejects.toMatchObject({ code: 'io', message: expect.stringMatching(/Could not download mobilenet_v2_weights.*connect to the internet or choose a weights file/) });
  });
});
