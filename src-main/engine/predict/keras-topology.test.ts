import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Tf } from '../backend';
import { keras2ModelConfig } from '../export/keras2-h5';
import { keras3ModelConfig } from '../export/keras3-config';
import { layerZoo } from '../export/test-support/layer-zoo';
import { seededValues } from '../models/weights/test-support/tiny-models';
import { kerasTopology } from './keras-topology';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The model TensorFlow.js builds from a Keras config, with the source's weights copied in by layer. */
async function rebuilt(source: tf.LayersModel, config: unknown): Promise<tf.LayersModel> {
  const model = await tf.models.modelFromJSON({ modelTopology: kerasTopology(JSON.parse(JSON.stringify(config))) } as Parameters<typeof tf.models.modelFromJSON>[0]);
  for (const layer of source.layers) model.getLayer(layer.name).setWeights(layer.getWeights());
  return model;
}

describe('kerasTopology', () => {
  it.each([
    ['Keras 3 (.keras config.json)', keras3ModelConfig],
    ['Keras 2 (.h5 model_config)', keras2ModelConfig],
  ] as const)('rebuilds every layer class Graft writes from a %s, computing what the original does', async (_label, write) => {
    const source = layerZoo(tf as unknown as Tf);
    const model = await rebuilt(source, write(source));
    try {
      expect(model.layers.map((l) => [l.name, l.getClassName()])).toEqual(source.layers.map((l) => [l.name, l.getClassName()]));
      const input = tf.tensor(seededValues(2 * 9 * 9 * 3, 5), [2, 9, 9, 3]);
      const expected = (source.predict(input) as tf.Tensor).dataSync();
      const actual = (model.predict(input) as tf.Tensor).dataSync();
      expect(Array.from(actual)).toEqual(Array.from(expected));
      input.dispose();
    } finally {
      model.dispose();
      source.dispose();
    }
  });

  it('reads Keras 3 details: dtype policies, unwrapped input and output addresses, batch_shape', () => {
    const topology = kerasTopology({
      class_name: 'Functional',
      config: {
        name: 'm',
        layers: [
          { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 4, 4, 3], dtype: 'float32', name: 'in' }, registered_name: null, name: 'in', inbound_nodes: [] },
          {
            module: 'keras.layers',
            class_name: 'Dense',
            config: { name: 'd', units: 2, dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null }, kernel_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null } },
            build_config: { input_shape: [null, 4, 4, 3] },
            name: 'd',
            inbound_nodes: [{ args: [{ class_name: '__keras_tensor__', config: { shape: [null, 4, 4, 3], dtype: 'float32', keras_history: ['in', 0, 0] } }], kwargs: { training: false } }],
          },
        ],
        input_layers: ['in', 0, 0],
        output_layers: ['d', 0, 0],
      },
    });
    expect(topology.config).toEqual({
      name: 'm',
      layers: [
        { class_name: 'InputLayer', name: 'in', config: { batch_input_shape: [null, 4, 4, 3], dtype: 'float32', name: 'in' }, inbound_nodes: [] },
        { class_name: 'Dense', name: 'd', config: { name: 'd', units: 2, dtype: 'float32', kernel_initializer: { class_name: 'Zeros', config: {} } }, inbound_nodes: [[['in', 0, 0, { training: false }]]] },
      ],
      input_layers: [['in', 0, 0]],
      output_layers: [['d', 0, 0]],
    });
    expect(() => kerasTopology({ class_name: 'MyModel', config: {} })).toThrow(/only Functional and Sequential/);
  });
});
