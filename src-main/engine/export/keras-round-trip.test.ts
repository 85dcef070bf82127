import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignWeights } from '../models/weights/assign-weights';
import { readKerasH5 } from '../models/weights/keras-h5';
import { loadWeights } from '../models/weights/load-weights';
import { weightedLayers } from '../models/weights/match-layers';
import { differingWeights, readModelWeights, seededValues } from '../models/weights/test-support/tiny-models';
import { kerasVariables } from './keras-layer-config';
import { writeKerasArchive } from './keras3-archive';
import { writeKerasH5 } from './keras2-h5';
import { buildCase, maxAbsDiff, sha256Of, trainedCase, type ExportCase } from './test-support/export-models';
import { kerasOrderFromConfig } from './test-support/keras-config-order';
import { h5pyPython, listKeras2H5, listKerasArchive } from './test-support/python-h5py';

// Keras's naming.to_snake_case of each class, worked out by hand: the `.keras` weights file
// addresses layers as `layers/<this>[_<n>]`, counted per class in Keras's layer order.
const SNAKE: Record<string, string> = {
  InputLayer: 'input_layer', Conv2D: 'conv2d', DepthwiseConv2D: 'depthwise_conv2d', BatchNormalization: 'batch_normalization', ReLU: 're_lu',
  Activation: 'activation', ZeroPadding2D: 'zero_padding2d', Add: 'add', Concatenate: 'concatenate', MaxPooling2D: 'max_pooling2d',
  AveragePooling2D: 'average_pooling2d', GlobalAveragePooling2D: 'global_average_pooling2d', GlobalMaxPooling2D: 'global_max_pooling2d',
  Flatten: 'flatten', Dropout: 'dropout', Dense: 'dense',
};

interface Case extends ExportCase {
  label: string;
  /** Layers frozen from the input on (a partially fine-tuned or head-only run). */
  frozen: number | 'trunk';
  /** Kernel scale of the seeded weights (see fillTrained). */
  gain?: number;
}

const CASES: Case[] = [
  {
    label: 'MobileNetV2 32 px, sigmoid head, partially fine-tuned',
    arch: 'mobilenet_v2', size: 32, classes: 2, frozen: 60,
    head: { pooling: 'avg', dropout: 0.2, layers: [{ units: 16, dropout: 0.1 }], output: 'sigmoid' },
  },
  {
    label: 'InceptionV3 75 px (Keras 2 numbered names), head only',
    arch: 'inception_v3', size: 75, classes: 4, frozen: 'trunk',
    head: { pooling: 'max', layers: [], output: 'softmax' },
  },
  {
    label: 'VGG16 32 px, Flatten head with gelu and swish layers',
    arch: 'vgg16', size: 32, classes: 3, frozen: 10,
    head: { pooling: 'flatten', layers: [{ units: 32, activation: 'gelu' }, { units: 16, activation: 'swish', dropout: 0.3 }], output: 'softmax' },
  },
  {
    label: 'ResNet50 32 px, whole model trained',
    arch: 'resnet50', size: 32, classes: 5, frozen: 0, gain: 3,
    head: { pooling: 'avg', layers: [], output: 'softmax' },
  },
];

const h5py = h5pyPython();
let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(path.join(os.tmpdir(), 'graft-keras-export-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function predict(model: tf.LayersModel, input: tf.Tensor): Float32Array {
  return tf.tidy(() => (model.predict(input) as tf.Tensor).dataSync() as Float32Array);
}

/** Loads `file` into a freshly built copy of the case and compares weights and outputs. */
async function reload(c: Case, file: string, source: tf.LayersModel, input: tf.Tensor, byName?: boolean) {
  const fresh = buildCase(tf, c);
  try {
    const report = byName === undefined
      ? await loadWeights(tf, fresh, { kind: 'file', path: file })
      : await (async () => {
        const stored = await readKerasH5(file);
        try {
          return assignWeights(tf, fresh, stored, { byName });
        } finally {
          stored.dispose();
        }
      })();
    return {
      report,
      differing: differingWeights(readModelWeights(fresh), readModelWeights(source)),
      delta: maxAbsDiff(predict(fresh, input), predict(source, input)),
    };
  } finally {
    fresh.dispose();
  }
}

describe.each(CASES)('$label', (c) => {
  let model: tf.LayersModel;
  let input: tf.Tensor;
  let kerasFile: string;
  let h5File: string;
  beforeAll(async () => {
    const trunk = buildCase(tf, c);
    const trunkLayers = trunk.layers.findIndex((l) => l.name.startsWith('head_'));
    trunk.dispose();
    model = trainedCase(tf, c, 11, c.frozen === 'trunk' ? trunkLayers : c.frozen, c.gain);
    input = tf.tensor(seededValues(2 * c.size * c.size * 3, 5), [2, c.size, c.size, 3]);
    // Outputs that say something: finite, and different for the two images.
    const outputs = predict(model, input);
    const half = outputs.length / 2;
    expect(outputs.every(Number.isFinite)).toBe(true);
    expect(maxAbsDiff(outputs.slice(0, half), outputs.slice(half))).toBeGreaterThan(1e-4);
    kerasFile = path.join(dir, `${c.arch}.keras`);
    h5File = path.join(dir, `${c.arch}.h5`);
    const savedAt = new Date(2025, 0, 2, 3, 4, 5);
    const archive = await writeKerasArchive(tf, model, kerasFile, { savedAt });
    const legacy = await writeKerasH5(tf, model, h5File, { savedAt });
    expect(archive.layers).toBe(model.layers.length);
    expect(legacy.weights).toBe(model.weights.length);
  });
  afterAll(() => {
    model.dispose();
    input.dispose();
  });

  it('.keras loads back by name into a fresh model: same weights, same outputs', async () => {
    const { report, differing, delta } = await reload(c, kerasFile, model, input);
    expect(report).toMatchObject({ format: 'keras-v3', mode: 'by-name', missing: [], unused: [], skipped: [] });
    expect(report.loaded).toHaveLength(weightedLayers(model).length);
    expect(differing).toEqual([]);
    expect(delta).toBeLessThanOrEqual(1e-6);
    console.log(`${c.label}: .keras round trip max|Δ| = ${delta}`);
  });

  it('.h5 loads back by name and by layer order (Keras 2\'s default): same weights, same outputs', async () => {
    for (const byName of [undefined, false]) {
      const { report, differing, delta } = await reload(c, h5File, model, input, byName);
      expect(report).toMatchObject({ format: 'keras-h5', mode: byName === false ? 'topological' : 'by-name', missing: [], unused: [] });
      expect(differing).toEqual([]);
      expect(delta).toBeLessThanOrEqual(1e-6);
      console.log(`${c.label}: .h5 (${byName === false ? 'by order' : 'by name'}) round trip max|Δ| = ${delta}`);
    }
  });

  it.skipIf(!h5py.python)(`.h5 has the layout Keras 2 and Keras 3's legacy loader read (h5py: ${h5py.reason})`, () => {
    const listing = listKeras2H5(h5py.python as string, h5File);
    expect(listing.rootAttrs.backend?.value).toBe('tensorflow');
    expect(listing.rootAttrs.keras_version?.value).toBe('2.15.0');
    expect(listing.modelWeightsAttrs).toEqual({ backend: 'tensorflow', keras_version: '2.15.0' });
    const config = JSON.parse(listing.rootAttrs.model_config?.value ?? '{}') as {
      class_name: string;
      config: { name: string; layers: { name: string; class_name: string; inbound_nodes: unknown[] }[]; input_layers: unknown; output_layers: unknown };
    };
    expect(config.class_name).toBe('Functional');
    expect(config.config.input_layers).toEqual([[model.inputLayers[0]?.name, 0, 0]]);
    expect(config.config.output_layers).toEqual([['predictions', 0, 0]]);
    // Keras 2 pairs stored layers with the rebuilt model's layers by order: both lists must agree.
    const order = kerasOrderFromConfig(config.config.layers, config.config.output_layers);
    expect(config.config.layers.map((l) => l.name)).toEqual(order);
    expect(listing.layerNames).toEqual(order);
    expect(listing.softLinks).toEqual([]);
    for (const layer of model.layers) {
      const stored = listing.layers[layer.name];
      const vars = kerasVariables(layer);
      expect(stored?.weightNames).toEqual(vars.map((v) => `${layer.name}/${v.name}:0`));
      for (const v of vars) {
        const dataset = stored?.datasets[`${layer.name}/${v.name}:0`];
        expect(dataset).toEqual({
          shape: v.variable.shape, dtype: '<f4', external: false, virtual: false, sha256: sha256Of(v.variable.read().dataSync() as Float32Array),
        });
      }
    }
  });

  it.skipIf(!h5py.python)(`.keras has the layout keras.saving.load_model reads (zipfile + h5py: ${h5py.reason})`, () => {
    const listing = listKerasArchive(h5py.python as string, kerasFile);
    expect(listing.entries).toEqual(['metadata.json', 'config.json', 'model.weights.h5'].map((name) => ({ name, compression: 0 })));
    expect(listing.metadata).toEqual({ keras_version: '3.8.0', date_saved: '2025-01-02@03:04:05' });
    expect(listing.rootVarsName).toBe(model.name);
    expect(listing.softLinks).toEqual([]);
    const saved = listing.config as unknown as {
      config: { layers: { name: string; class_name: string; inbound_nodes: unknown[] }[]; output_layers: unknown };
    };
    // Keras 3 rebuilds the model, lists its layers in graph order and numbers them per class.
    const order = kerasOrderFromConfig(saved.config.layers, saved.config.output_layers);
    expect(saved.config.layers.map((l) => l.name)).toEqual(order);
    const used = new Map<string, number>();
    const expected: Record<string, { name: string; vars: Record<string, unknown> }> = {};
    for (const name of order) {
      const layer = model.getLayer(name);
      const base = SNAKE[layer.getClassName()] ?? '?';
      const n = used.get(base);
      used.set(base, n === undefined ? 0 : n + 1);
      expected[n === undefined ? base : `${base}_${n + 1}`] = {
        name,
        vars: Object.fromEntries(kerasVariables(layer).map((v, i) => [String(i), {
          shape: v.variable.shape, dtype: '<f4', external: false, virtual: false, sha256: sha256Of(v.variable.read().dataSync() as Float32Array),
        }])),
      };
    }
    expect(listing.layers).toEqual(expected);
  });
});
