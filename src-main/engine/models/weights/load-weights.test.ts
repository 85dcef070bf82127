import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../build-model';
import { loadWeights } from './load-weights';
import { writeKeras2H5 } from './test-support/keras-writers';
import { differingWeights, fillSeeded, keras2Layers, readModelWeights, tinyCnn } from './test-support/tiny-models';
import { weightRole } from './weight-roles';
import { caught } from './test-support/caught';

let dir: string;
let expected: Map<string, Float32Array>;
let h5File: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(path.join(os.tmpdir(), 'graft-load-test-'));
  const source = tinyCnn(tf, { top: false });
  expected = fillSeeded(tf, source, 51);
  h5File = path.join(dir, 'tiny.h5');
  await writeKeras2H5(h5File, keras2Layers(source));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));


describe('loadWeights', () => {
  it('dispatches files by extension and, failing that, by their first bytes', async () => {
    const renamed = path.join(dir, 'weights.bin');
    copyFileSync(h5File, renamed);
    for (const file of [h5File, renamed]) {
      const model = tinyCnn(tf, { top: false });
      const report = await loadWeights(tf, model, { kind: 'file', path: file });
      expect(report.format).toBe('keras-h5');
      expect(differingWeights(readModelWeights(model), expected)).toEqual([]);
    }
    const odd = path.join(dir, 'notes.txt');
    writeFileSync(odd, 'just text');
    expect((await caught(loadWeights(tf, tinyCnn(tf), { kind: 'file', path: odd }))).message).toMatch(/choose a Keras \.h5/);
    expect((await caught(loadWeights(tf, tinyCnn(tf), { kind: 'file', path: path.join(dir, 'gone.keras') }))).code).toBe('io');
  });

  it('round-trips a real architecture through a Keras 2 file, and names layers for a wrong one', async () => {
    const options = { includeTop: false, inputShape: [32, 32, 3] } as const;
    const source = buildModel(tf, 'mobilenet_v2', options);
    const values = fillSeeded(tf, source, 52);
    const file = path.join(dir, 'mobilenet_v2_32.h5');
    await writeKeras2H5(file, keras2Layers(source), { fullModel: true });
    const target = buildModel(tf, 'mobilenet_v2', options);
    const report = await loadWeights(tf, target, { kind: 'file', path: file });
    expect(report.loaded).toHaveLength(104);
    expect(differingWeights(readModelWeights(target), values)).toEqual([]);

    const error = await caught(loadWeights(tf, target, { kind: 'file', path: h5File }));
    expect(error.code).toBe('bad-request');
    expect(error.message).toMatch(/nothing for layers Conv1, bn_Conv1, .*another architecture/);
    source.dispose();
    target.dispose();
  });

  it('rejects unknown bundled names', async () => {
    const error = await caught(loadWeights(tf, tinyCnn(tf), { kind: 'bundled', name: 'nope' as 'nsfwjs-mobilenet-v2' }));
    expect(error.message).toContain('nsfwjs-mobilenet-v2');
  });

  it("downloads 'imagenet' weights into the cache, then loads them", async () => {
    // MobileNetV2 is the one architecture whose files Keras lists no hash for, so a stand-in works.
    const served = readFileSync(h5File);
    const asked: string[] = [];
    const server = http.createServer((req, res) => {
      asked.push(req.url ?? '');
      res.writeHead(200, { 'content-length': served.length }).end(served);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const cacheDir = path.join(dir, 'cache');
      mkdirSync(cacheDir);
      const progress: number[] = [];
      const model = tinyCnn(tf, { top: false });
      await loadWeights(tf, model, {
        kind: 'imagenet',
        arch: 'mobilenet_v2',
        includeTop: false,
        cacheDir,
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
        onProgress: (p) => progress.push(p.bytesDone),
      });
      expect(asked).toEqual(['/mobilenet_v2/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5']);
      expect(progress.at(-1)).toBe(served.length);
      expect(differingWeights(readModelWeights(model), expected)).toEqual([]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('weightRole', () => {
  it('reads Keras 1, 2, 3 and tfjs weight names', () => {
    expect([
      'block1_conv1/kernel:0', 'conv2d_1/kernel_1', 'block1_conv1_W_1:0', 'block1_conv1_b_1:0', 'bn/moving_mean',
      'batch_normalization_1/moving_variance:0', 'bn_running_std', 'expanded_conv_depthwise/depthwise_kernel:0',
      'sep/pointwise_kernel', 'bn_Conv1/gamma', 'bn_Conv1/beta', 'layers/conv2d/vars/0',
    ].map(weightRole)).toEqual([
      'kernel', 'kernel', 'kernel', 'bias', 'moving_mean', 'moving_variance', 'moving_variance', 'depthwise_kernel',
      'pointwise_kernel', 'gamma', 'beta', null,
    ]);
  });
});
