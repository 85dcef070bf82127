import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keras2ModelConfig } from './keras2-h5';
import { keras3ModelConfig } from './keras3-config';
import { buildCase } from './test-support/export-models';

// nsfwjs ships two models real Keras (2.2.4) saved; their trunks are Keras Applications
// MobileNetV2 and InceptionV3. Our configs for the same layers must carry the same keys — plus
// exactly what later Keras versions changed, listed below from their sources — and the same
// values for every setting that decides what a layer computes.

interface SavedLayer {
  name: string;
  class_name: string;
  config: Record<string, unknown>;
}

const require = createRequire(import.meta.url);

function nsfwjsLayers(model: 'mobilenet_v2' | 'inception_v3'): SavedLayer[] {
  const root = dirname(dirname(dirname(require.resolve('nsfwjs'))));
  const saved = require(join(root, 'dist', 'models', model, 'model.min.js')) as {
    modelTopology: { model_config: { config: { layers: SavedLayer[] } } };
  };
  return saved.modelTopology.model_config.config.layers;
}

/** How a class's config keys differ from Keras 2.2.4's: added, then removed. */
interface KeyChange {
  added: string[];
  removed: string[];
}

// tf.keras added `dtype` to every layer's config; the legacy writer keeps everything else as 2.2.4 wrote it.
const KERAS2_CHANGES = (className: string): KeyChange => ({ added: className === 'InputLayer' ? [] : ['dtype'], removed: [] });

// Keras 3 (keras/src/layers/*, get_config as of 3.8): a dtype policy on every layer, Conv2D's
// `groups`, BatchNormalization's `synchronized`, GlobalPooling's `keepdims`; InputLayer's
// `batch_input_shape` became `batch_shape`; Dense writes `activity_regularizer` only when set.
// DepthwiseConv2D gains nothing but its dtype: no `groups`.
function keras3Changes(className: string): KeyChange {
  switch (className) {
    case 'InputLayer':
      return { added: ['batch_shape'], removed: ['batch_input_shape'] };
    case 'Conv2D':
      return { added: ['dtype', 'groups'], removed: [] };
    case 'BatchNormalization':
      return { added: ['dtype', 'synchronized'], removed: [] };
    case 'Dense':
      return { added: ['dtype'], removed: ['activity_regularizer'] };
    default:
      return { added: ['dtype'], removed: [] };
  }
}

/** Settings that decide what a layer computes (initializers and `trainable` do not). */
const SETTINGS = ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'activation', 'use_bias', 'axis', 'momentum',
  'epsilon', 'center', 'scale', 'max_value', 'negative_slope', 'threshold', 'depth_multiplier', 'units', 'rate', 'noise_shape', 'sparse'];

function describeKeys(keys: string[]): string {
  return [...new Set(keys)].sort().join(',');
}

function compareWith(
  ours: SavedLayer[],
  theirs: SavedLayer[],
  changes: (className: string) => KeyChange,
): { classes: string[]; layers: number } {
  const theirByClass = new Map<string, SavedLayer>();
  for (const layer of theirs) if (!theirByClass.has(layer.class_name)) theirByClass.set(layer.class_name, layer);
  const theirByName = new Map(theirs.map((l) => [l.name, l]));
  const classes = new Set<string>();
  let layers = 0;
  for (const layer of ours) {
    const reference = theirByClass.get(layer.class_name);
    if (!reference) continue;
    classes.add(layer.class_name);
    const change = changes(layer.class_name);
    const expected = [...Object.keys(reference.config).filter((k) => !change.removed.includes(k)), ...change.added];
    expect(`${layer.class_name}: ${describeKeys(Object.keys(layer.config))}`).toBe(`${layer.class_name}: ${describeKeys(expected)}`);
    const same = theirByName.get(layer.name);
    if (!same || same.class_name !== layer.class_name) continue;
    layers += 1;
    // Keras 2.2.4 padded MobileNetV2's stem explicitly (Conv1_pad + 'valid'); Keras today says 'same'.
    const settings = SETTINGS.filter((k) => k in same.config && !(layer.name === 'Conv1' && k === 'padding'));
    const pick = (c: Record<string, unknown>) => Object.fromEntries(settings.map((k) => [k, c[k]]));
    expect({ layer: layer.name, ...pick(layer.config) }).toEqual({ layer: layer.name, ...pick(same.config) });
    // No regularizers or constraints in either.
    for (const key of Object.keys(same.config).filter((k) => /_(regularizer|constraint)$/.test(k))) {
      expect([layer.name, key, layer.config[key] ?? null]).toEqual([layer.name, key, same.config[key]]);
    }
  }
  return { classes: [...classes].sort(), layers };
}

const models: tf.LayersModel[] = [];
beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => models.forEach((m) => m.dispose()));

const CASES = [
  { arch: 'mobilenet_v2', size: 224, layers: 153, classes: ['Add', 'BatchNormalization', 'Conv2D', 'Dense', 'DepthwiseConv2D', 'Dropout', 'InputLayer', 'ReLU', 'ZeroPadding2D'] },
  { arch: 'inception_v3', size: 299, layers: 311, classes: ['Activation', 'AveragePooling2D', 'BatchNormalization', 'Concatenate', 'Conv2D', 'Dense', 'Dropout', 'InputLayer', 'MaxPooling2D'] },
] as const;

describe('Keras configs against the real Keras-saved nsfwjs models', () => {
  it.each(CASES)('$arch: same keys per class (plus what later Keras changed), same settings per layer', (c) => {
    const model = buildCase(tf, { arch: c.arch, size: c.size, head: { pooling: 'avg', dropout: 0.5, layers: [{ units: 256 }], output: 'softmax' }, classes: 5 });
    models.push(model);
    const theirs = nsfwjsLayers(c.arch);
    const keras3 = (keras3ModelConfig(model) as unknown as { config: { layers: SavedLayer[] } }).config.layers;
    const keras2 = (keras2ModelConfig(model) as unknown as { config: { layers: SavedLayer[] } }).config.layers;
    for (const [ours, changes] of [[keras3, keras3Changes], [keras2, KERAS2_CHANGES]] as const) {
      const { classes, layers } = compareWith(ours, theirs, changes);
      expect(classes).toEqual(c.classes);
      // Every trunk layer is compared setting by setting (MobileNetV2's input is named differently there).
      expect(layers).toBe(c.layers);
    }
  });
});
