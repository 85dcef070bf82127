import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignWeights } from './assign-weights';
import { allowH5File, datasetWeight, loadH5wasm } from './h5-file';
import { readKerasH5 } from './keras-h5';
import { writeKeras2H5 } from './test-support/keras-writers';
import { differingWeights, fillSeeded, keras2Layers, readModelWeights, tinyCnn } from './test-support/tiny-models';
import { caught } from './test-support/caught';

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(path.join(os.tmpdir(), 'graft-h5-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function load(file: string, model: tf.LayersModel, options = {}) {
  const stored = await readKerasH5(file);
  try {
    return assignWeights(tf, model, stored, options);
  } finally {
    stored.dispose();
  }
}

function expectWeights(model: tf.LayersModel, expected: Map<string, Float32Array>): void {
  expect(differingWeights(readModelWeights(model), expected)).toEqual([]);
}


describe('Keras 2 .h5 weights', () => {
  it('loads save_weights files by layer name', async () => {
    const source = tinyCnn(tf);
    const expected = fillSeeded(tf, source, 1);
    const file = path.join(dir, 'by-name.h5');
    // Shuffle the file's layer order: by-name loading must not care.
    await writeKeras2H5(file, keras2Layers(source).reverse());
    const target = tinyCnn(tf);
    const report = await load(file, target);
    expect(report.mode).toBe('by-name');
    expect(report.loaded).toHaveLength(6);
    expectWeights(target, expected);
  });

  it('loads full-model files from /model_weights, with layer_names split in chunks', async () => {
    const source = tinyCnn(tf);
    const expected = fillSeeded(tf, source, 2);
    const file = path.join(dir, 'full.h5');
    await writeKeras2H5(file, keras2Layers(source), { fullModel: true, splitLayerNames: true });
    const target = tinyCnn(tf);
    await load(file, target);
    expectWeights(target, expected);
  });

  it('reads Keras 1 names (VGG16 file: block1_conv1_W_1:0) and matches weights by role, not position', async () => {
    const source = tinyCnn(tf);
    const expected = fillSeeded(tf, source, 3);
    const legacy = { kernel: 'W', bias: 'b', gamma: 'gamma', beta: 'beta', moving_mean: 'running_mean', moving_variance: 'running_std' };
    const layers = keras2Layers(source, (x) => x, (layer, role) =>
      role === 'depthwise_kernel' ? `${layer}/depthwise_kernel:0` : `${layer}_${legacy[role as keyof typeof legacy]}_1:0`);
    // Bias before kernel in the file: pairing must follow the names.
    for (const l of layers) l.weights.reverse();
    const file = path.join(dir, 'keras1.h5');
    await writeKeras2H5(file, layers);
    const target = tinyCnn(tf);
    await load(file, target);
    expectWeights(target, expected);
  });

  it('falls back to topological order when names differ (Keras 2 InceptionV3 numbering, BN without gamma)', async () => {
    const source = tinyCnn(tf, { bnScale: false });
    const expected = fillSeeded(tf, source, 4);
    const numbered: Record<string, string> = {
      block1_conv1: 'conv2d_1', block1_bn: 'batch_normalization_1', block1_dw: 'depthwise_conv2d_1',
      block1_dw_bn: 'batch_normalization_2', block2_conv1: 'conv2d_2', avg_pool: 'avg_pool', predictions: 'predictions',
    };
    const file = path.join(dir, 'numbered.h5');
    await writeKeras2H5(file, keras2Layers(source, (x) => numbered[x] ?? x));
    // Our model calls them conv2d, conv2d_1 … — some names collide with the file's, meaning other layers.
    const target = tinyCnn(tf, {
      bnScale: false,
      names: { conv1: 'conv2d', bn1: 'batch_normalization', dw: 'depthwise_conv2d', bn2: 'batch_normalization_1', conv2: 'conv2d_1' },
    });
    const report = await load(file, target);
    expect(report.mode).toBe('topological');
    const renamed = new Map([...expected].map(([k, v]) => {
      const [layer, role] = k.split('/') as [string, string];
      const ours: Record<string, string> = {
        block1_conv1: 'conv2d', block1_bn: 'batch_normalization', block1_dw: 'depthwise_conv2d',
        block1_dw_bn: 'batch_normalization_1', block2_conv1: 'conv2d_1',
      };
      return [`${ours[layer] ?? layer}/${role}`, v];
    }));
    expectWeights(target, renamed);
  });

  it('pairs renumbered automatic names by rank (Keras 3 model, Keras 2 file in another order)', async () => {
    const keras3 = { conv1: 'conv2d', bn1: 'batch_normalization', bn2: 'batch_normalization_1', conv2: 'conv2d_1', top: 'dense' };
    const keras2 = { conv1: 'conv2d_1', bn1: 'batch_normalization_1', bn2: 'batch_normalization_2', conv2: 'conv2d_2', top: 'dense_1' };
    const source = tinyCnn(tf, { names: keras2 });
    const expected = fillSeeded(tf, source, 12);
    const file = path.join(dir, 'renumbered.h5');
    await writeKeras2H5(file, keras2Layers(source).reverse());
    const target = tinyCnn(tf, { names: keras3 });
    const report = await load(file, target);
    expect(report.mode).toBe('by-name');
    const actual = readModelWeights(target);
    expect(actual.get('conv2d_1/kernel')).toEqual(expected.get('conv2d_2/kernel'));
    expect(actual.get('batch_normalization/moving_variance')).toEqual(expected.get('batch_normalization_1/moving_variance'));
    expect(actual.get('dense/bias')).toEqual(expected.get('dense_1/bias'));
  });

  it('loads a with-top file into a no-top model and reports the unused head', async () => {
    const source = tinyCnn(tf);
    fillSeeded(tf, source, 5);
    const file = path.join(dir, 'top.h5');
    await writeKeras2H5(file, keras2Layers(source));
    const report = await load(file, tinyCnn(tf, { top: false }));
    expect(report.unused).toEqual(['predictions']);
  });

  it('splits a nested model saved as one layer into its leaf layers', async () => {
    const source = tinyCnn(tf);
    const expected = fillSeeded(tf, source, 6);
    const flat = keras2Layers(source);
    const inner = flat.filter((l) => l.name !== 'predictions');
    const nested = [
      { name: 'input_1', weights: [] },
      { name: 'base_model', weights: inner.flatMap((l) => l.weights) },
      flat.find((l) => l.name === 'predictions')!,
    ];
    const file = path.join(dir, 'nested.h5');
    await writeKeras2H5(file, nested);
    const target = tinyCnn(tf);
    await load(file, target);
    expectWeights(target, expected);
  });
});

describe('Keras 2 .h5 mismatches and bad files', () => {
  it('names the layer and both shapes when shapes differ, and leaves the model untouched', async () => {
    const source = tinyCnn(tf, { conv2Filters: 5 });
    fillSeeded(tf, source, 7);
    const file = path.join(dir, 'shapes.h5');
    await writeKeras2H5(file, keras2Layers(source));
    const target = tinyCnn(tf);
    const before = readModelWeights(target);
    const error = await caught(load(file, target));
    expect(error.code).toBe('bad-request');
    expect(error.message).toContain('"block2_conv1"');
    expect(error.message).toContain('[1, 1, 4, 6]');
    expect(error.message).toContain('[1, 1, 4, 5]');
    expectWeights(target, before);
  });

  it('skips mismatched layers with skipMismatch and byName, loading the rest', async () => {
    const source = tinyCnn(tf, { conv2Filters: 5 });
    const expected = fillSeeded(tf, source, 8);
    const file = path.join(dir, 'skip.h5');
    await writeKeras2H5(file, keras2Layers(source));
    const target = tinyCnn(tf);
    const report = await load(file, target, { byName: true, skipMismatch: true });
    expect(report.skipped.map((s) => s.layer).sort()).toEqual(['block2_conv1', 'predictions']);
    expect(readModelWeights(target).get('block1_conv1/kernel')).toEqual(expected.get('block1_conv1/kernel'));
  });

  it('says which layers are missing when the file is for another architecture', async () => {
    const source = tinyCnn(tf, { top: false });
    fillSeeded(tf, source, 9);
    const file = path.join(dir, 'notop.h5');
    await writeKeras2H5(file, keras2Layers(source));
    const error = await caught(load(file, tinyCnn(tf)));
    expect(error.code).toBe('bad-request');
    expect(error.message).toContain('predictions');
  });

  it('reports a BatchNorm without gamma against one with gamma by name', async () => {
    const source = tinyCnn(tf, { bnScale: false });
    fillSeeded(tf, source, 10);
    const file = path.join(dir, 'nogamma.h5');
    await writeKeras2H5(file, keras2Layers(source));
    const error = await caught(load(file, tinyCnn(tf)));
    expect(error.message).toMatch(/layer "block1_bn" expects 4 weights \(gamma \[4\], beta/);
  });

  it('rejects files that are not HDF5, truncated, missing, or HDF5 without Keras weights', async () => {
    const text = path.join(dir, 'not.h5');
    writeFileSync(text, 'definitely not hdf5');
    const notHdf5 = await caught(readKerasH5(text));
    expect(notHdf5.code).toBe('bad-request');
    expect(notHdf5.message).toContain('not an HDF5 file');

    const source = tinyCnn(tf);
    fillSeeded(tf, source, 11);
    const whole = path.join(dir, 'whole.h5');
    await writeKeras2H5(whole, keras2Layers(source));
    const cut = path.join(dir, 'cut.h5');
    const bytes = readFileSync(whole);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const truncated = await caught(readKerasH5(cut).then((s) => assignWeights(tf, tinyCnn(tf), s)));
    expect(truncated.code).toBe('io');
    expect(truncated.message).toMatch(/truncated|corrupt/);

    expect((await caught(readKerasH5(path.join(dir, 'absent.h5')))).code).toBe('io');

    const h5 = await loadH5wasm();
    const other = path.join(dir, 'other.h5');
    const release = await allowH5File(other);
    const f = new h5.File(other, 'w');
    f.create_dataset({ name: 'x', data: new Float32Array([1]) });
    f.close();
    release();
    const notKeras = await caught(readKerasH5(other));
    expect(notKeras.code).toBe('bad-request');
    expect(notKeras.message).toContain('no Keras weights');
  });
});

describe('HDF5 datasets', () => {
  it('reads large arrays in row slices with the same result', async () => {
    const h5 = await loadH5wasm();
    const file = path.join(dir, 'slices.h5');
    const values = Float32Array.from({ length: 30 }, (_, i) => i * 0.5);
    const release = await allowH5File(file);
    const f = new h5.File(file, 'w');
    f.create_dataset({ name: 'k', data: values, shape: [10, 3], dtype: '<f' });
    f.close();
    const r = new h5.File(file, 'r');
    try {
      const dataset = r.get('k') as Parameters<typeof datasetWeight>[0];
      expect(datasetWeight(dataset, 'k', 'kernel', 4).read()).toEqual(values);
      expect(datasetWeight(dataset, 'k', 'kernel').read()).toEqual(values);
    } finally {
      r.close();
      release();
    }
  });
});
