import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ArchName } from '../../api/types/models';
import { modelFrom } from '../training/training-model';
import { kerasGraph } from './keras-graph';
import { keras2ModelConfig } from './keras2-h5';
import { keras3ModelConfig } from './keras3-config';
import { buildCase } from './test-support/export-models';
import { kerasOrderFromConfig } from './test-support/keras-config-order';
import { layerZoo } from './test-support/layer-zoo';

const require = createRequire(import.meta.url);

let models: tf.LayersModel[] = [];
beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  for (const m of models) m.dispose();
  models = [];
});

function keep(model: tf.LayersModel): tf.LayersModel {
  models.push(model);
  return model;
}

interface SavedConfig {
  config: { layers: { name: string; inbound_nodes: unknown[] }[]; output_layers: unknown };
}

/** Layer names in the order Keras lists them after loading a config, from the JSON alone. */
function reloadedOrder(config: unknown): string[] {
  const c = (config as SavedConfig).config;
  return kerasOrderFromConfig(c.layers, c.output_layers);
}

/** The layer order of a model Keras 2.2.4 saved (nsfwjs ships it as a tfjs topology). */
function nsfwjsOrder(model: 'mobilenet_v2' | 'inception_v3'): string[] {
  const root = dirname(dirname(dirname(require.resolve('nsfwjs'))));
  const saved = require(join(root, 'dist', 'models', model, 'model.min.js')) as {
    modelTopology: { model_config: { config: { layers: { name: string }[] } } };
  };
  return saved.modelTopology.model_config.config.layers.map((l) => l.name);
}

const HEAD = { pooling: 'avg', dropout: 0.2, layers: [{ units: 8, dropout: 0.1 }], output: 'softmax' } as const;
const SIZES: Record<ArchName, number> = { mobilenet_v2: 32, inception_v3: 75, resnet50: 32, vgg16: 32 };

describe("Keras's layer order", () => {
  it.each(Object.keys(SIZES) as ArchName[])('%s + head: tfjs order = Keras order = the order Keras rebuilds from both configs', (arch) => {
    const model = keep(buildCase(tf, { arch, size: SIZES[arch], head: { ...HEAD, layers: [...HEAD.layers] }, classes: 3 }));
    const order = kerasGraph(model).layers.map((l) => l.layer.name);
    expect(order).toEqual(model.layers.map((l) => l.name));
    expect(reloadedOrder(keras3ModelConfig(model))).toEqual(order);
    expect(reloadedOrder(keras2ModelConfig(model))).toEqual(order);
    expect(keras3ModelConfig(model)).toMatchObject({ config: { layers: order.map((name) => ({ name })) } });
  });

  it.each(['mobilenet_v2', 'inception_v3'] as const)('%s: trunk layers in the order real Keras saved them (nsfwjs)', (arch) => {
    const model = keep(buildCase(tf, { arch, size: arch === 'mobilenet_v2' ? 224 : 299, head: { ...HEAD, layers: [] }, classes: 2 }));
    const ours = kerasGraph(model).layers.map((l) => l.layer.name);
    const theirs = nsfwjsOrder(arch);
    const common = new Set(ours.filter((n) => theirs.includes(n)));
    // Everything but the inputs and the heads (and Keras 2.2.4's Conv1_pad) is shared.
    expect(common.size).toBe(arch === 'mobilenet_v2' ? 153 : 311);
    expect(ours.filter((n) => common.has(n))).toEqual(theirs.filter((n) => common.has(n)));
  });

  it('records only the calls that belong to the model, renumbered (a training suffix adds others)', () => {
    const model = keep(layerZoo(tf));
    const before = JSON.stringify(keras3ModelConfig(model));
    // A suffix from the freeze cut calls the same layer objects again on new inputs.
    const suffix = modelFrom(tf, model, [model.getLayer('act')], 'zoo_trainable');
    expect(model.getLayer('mixed').inboundNodes.length).toBe(2);
    const graph = kerasGraph(model);
    expect(graph.layers.every((l) => l.calls.length === (l.layer.getClassName() === 'InputLayer' ? 0 : 1))).toBe(true);
    expect(graph.layers.flatMap((l) => l.calls.flatMap((c) => c.inputs.map((r) => r.node)))).toEqual(
      graph.layers.flatMap((l) => l.calls.flatMap((c) => c.inputs.map(() => 0))),
    );
    expect(JSON.stringify(keras3ModelConfig(model))).toBe(before);
    // The suffix itself starts at a new input; its own calls of shared layers are its node 0.
    const suffixGraph = kerasGraph(suffix);
    expect(suffixGraph.inputs.map((r) => r.layer)).toEqual(['cut_act']);
    expect(suffixGraph.layers.find((l) => l.layer.name === 'mixed')?.calls).toHaveLength(1);
    suffix.dispose();
  });

  it('gives each tensor its shape, and merge layers their list of inputs', () => {
    const graph = kerasGraph(keep(layerZoo(tf)));
    const mixed = graph.layers.find((l) => l.layer.name === 'mixed');
    expect(mixed?.calls[0]?.inputs).toEqual([
      { layer: 'max_pool', node: 0, tensor: 0, shape: [null, 4, 4, 4] },
      { layer: 'avg_pool', node: 0, tensor: 0, shape: [null, 4, 4, 4] },
    ]);
    expect(graph.inputs).toEqual([{ layer: 'input_layer', node: 0, tensor: 0, shape: [null, 9, 9, 3] }]);
    expect(graph.outputs).toEqual([{ layer: 'predictions', node: 0, tensor: 0, shape: [null, 3] }]);
  });
});
