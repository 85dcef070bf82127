import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from './build-model';

// nsfwjs ships two models saved by real Keras (2.2.4) as tfjs topology + weight manifest. Their
// trunks are Keras Applications InceptionV3 and MobileNetV2, so they are an independent check of
// our layer names, classes, settings, wiring and weight shapes; only their 5-class heads differ.

interface KerasLayer {
  name: string;
  class_name: string;
  config: Record<string, unknown>;
  inbound_nodes: [string, number, number, unknown][][];
}

interface Topology {
  layers: Map<string, KerasLayer>;
  weights: Map<string, string>;
}

const require = createRequire(import.meta.url);

function nsfwjsTopology(model: 'inception_v3' | 'mobilenet_v2'): Topology {
  const root = dirname(dirname(dirname(require.resolve('nsfwjs'))));
  const saved = require(join(root, 'dist', 'models', model, 'model.min.js')) as {
    modelTopology: { model_config: { config: { layers: KerasLayer[] } } };
    weightsManifest: { weights: { name: string; shape: number[] }[] }[];
  };
  return {
    layers: new Map(saved.modelTopology.model_config.config.layers.map((l) => [l.name, l])),
    weights: new Map(saved.weightsManifest.flatMap((g) => g.weights).map((w) => [w.name, w.shape.join('x')])),
  };
}

function ourTopology(model: tf.LayersModel): Topology {
  // toJSON writes the Keras format (snake_case keys), the same as the saved file.
  const json = model.toJSON(null, false) as unknown as { config: { layers: KerasLayer[] } };
  return {
    layers: new Map(json.config.layers.map((l) => [l.name, l])),
    weights: new Map(model.weights.map((w) => [w.originalName, w.shape.join('x')])),
  };
}

/** Settings that change what a layer computes; initialisers and `trainable` do not. */
const SETTINGS = ['filters', 'kernel_size', 'strides', 'padding', 'activation', 'use_bias', 'axis', 'momentum', 'epsilon', 'center', 'scale', 'pool_size', 'max_value', 'depth_multiplier', 'units'];

/** A layer as a comparable string: class, settings present in both files, and input layers in order. */
function describeLayer(layer: KerasLayer, keys: readonly string[], rename: (name: string) => string): string {
  const settings = keys.map((k) => `${k}=${JSON.stringify(layer.config[k])}`);
  const inputs = layer.inbound_nodes.flatMap((node) => node.map((edge) => rename(edge[0])));
  return `${layer.name}: ${layer.class_name}(${settings.join(', ')}) <- [${inputs.join(', ')}]`;
}

function compare(ours: Topology, theirs: Topology, skip: Set<string>, rename: (name: string) => string): void {
  for (const [name, layer] of ours.layers) {
    if (skip.has(name)) continue;
    const other = theirs.layers.get(name);
    expect(other, `layer ${name}`).toBeDefined();
    const keys = SETTINGS.filter((k) => k in layer.config && k in other!.config);
    expect(describeLayer(layer, keys, rename)).toBe(describeLayer(other!, keys, (n) => n));
  }
  for (const [name, shape] of ours.weights) expect(`${name}: ${theirs.weights.get(name)}`).toBe(`${name}: ${shape}`);
}

/** The nsfwjs heads that Keras Applications do not have. */
const NSFWJS_HEAD = ['flatten_1', 'dense_1', 'dense_2', 'dense_3', 'dropout_2', 'dropout_3'];

describe('our models match models saved by Keras', () => {
  const models: tf.LayersModel[] = [];
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterAll(() => models.forEach((m) => m.dispose()));

  it('InceptionV3 (Keras 2 numbering) matches nsfwjs inception_v3 layer for layer', () => {
    const model = buildModel(tf, 'inception_v3', { includeTop: false });
    models.push(model);
    const theirs = nsfwjsTopology('inception_v3');
    const ours = ourTopology(model);
    expect(ours.layers.size).toBe(311);
    expect([...theirs.layers.keys()].filter((n) => !ours.layers.has(n)).sort()).toEqual([...NSFWJS_HEAD, 'average_pooling2d_10'].sort());
    compare(ours, theirs, new Set(['input_1']), (n) => n);
  });

  it('MobileNetV2 matches nsfwjs mobilenet_v2 layer for layer', () => {
    const model = buildModel(tf, 'mobilenet_v2', { includeTop: false });
    models.push(model);
    const theirs = nsfwjsTopology('mobilenet_v2');
    const ours = ourTopology(model);
    expect([...theirs.layers.keys()].filter((n) => !ours.layers.has(n)).sort()).toEqual(
      [...NSFWJS_HEAD, 'average_pooling2d_1', 'Conv1_pad', 'input_1'].sort(),
    );
    // Keras 2.2.4 padded explicitly (Conv1_pad + 'valid'); Keras today uses 'same', which pads the
    // same way for even input sizes. Everything else must agree.
    const conv1 = ours.layers.get('Conv1')!;
    expect(conv1.config.padding).toBe('same');
    conv1.config.padding = 'valid';
    compare(ours, theirs, new Set(['input_layer']), (n) => (n === 'input_layer' ? 'Conv1_pad' : n));
  });
});
