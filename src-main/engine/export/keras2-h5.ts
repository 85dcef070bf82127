import { rm, stat } from 'node:fs/promises';
import type { LayersModel } from '@tensorflow/tfjs';
import { commitFile, tempPathFor } from '../../base/atomic-write';
import type { Tf } from '../backend';
import { writeFloat32, writeH5File, writeStringAttr, writeStringListAttr } from './h5-write';
import { kerasGraph, type KerasGraph, type TensorRef } from './keras-graph';
import { kerasLayerSpec, kerasVariables } from './keras-layer-config';
import type { Json, JsonObject } from './keras-objects';
import type { KerasFileMeta, KerasWriteResult } from './keras-file-meta';

/** The Keras version the legacy file claims: the last tf.keras 2, whose layout it reproduces. */
export const KERAS2_VERSION = '2.15.0';

function address(ref: TensorRef): Json {
  return [ref.layer, ref.node, ref.tensor];
}

/**
 * Keras 2's serialised Functional model (the `.h5` file's `model_config`): each layer as
 * `class_name` / `config` / `name` / `inbound_nodes`, calls as `[[layer, node, tensor, {}]…]`.
 * Layer configs carry only keys that tf.keras 2.x and Keras 3's legacy loader both accept.
 */
export function keras2ModelConfig(model: LayersModel, name = model.name, graph: KerasGraph = kerasGraph(model)): JsonObject {
  const layers = graph.layers.map(({ layer, calls }): JsonObject => {
    const spec = kerasLayerSpec(layer, 'keras2');
    return {
      class_name: spec.className,
      config: spec.config,
      name: layer.name,
      inbound_nodes: calls.map((call) => call.inputs.map((ref) => [ref.layer, ref.node, ref.tensor, {}])),
    };
  });
  return {
    class_name: 'Functional',
    config: { name, layers, input_layers: graph.inputs.map(address), output_layers: graph.outputs.map(address) },
  };
}

/**
 * Writes a trained model as a legacy Keras `.h5` file in Keras 2's full-model layout, which
 * tf.keras 2.x and Keras 3's legacy loader (`keras.models.load_model('x.h5')`) both read:
 * root attributes `model_config`, `keras_version`, `backend`; group `model_weights` with
 * `layer_names` and, per layer, `weight_names` and datasets `<layer>/<weight>:0`. Keras 2
 * loads these by layer order, which follows Keras's own (see kerasGraph). The file appears
 * whole under `file` or not at all; a layer it cannot carry is a GraftError naming it.
 * `_tf` is the engine's tfjs, taken for the engine's calling convention.
 */
export async function writeKerasH5(_tf: Tf, model: LayersModel, file: string, meta: KerasFileMeta = {}): Promise<KerasWriteResult> {
  const graph = kerasGraph(model);
  const config = keras2ModelConfig(model, meta.name ?? model.name, graph);
  const layers = graph.layers.map(({ layer }) => ({ name: layer.name, vars: kerasVariables(layer) }));
  const temp = tempPathFor(file);
  let weights = 0;
  try {
    await writeH5File(temp, (root) => {
      writeStringAttr(root, 'backend', 'tensorflow');
      writeStringAttr(root, 'keras_version', KERAS2_VERSION);
      writeStringAttr(root, 'model_config', JSON.stringify(config));
      const group = root.create_group('model_weights');
      writeStringListAttr(group, 'layer_names', layers.map((l) => l.name));
      writeStringAttr(group, 'backend', 'tensorflow');
      writeStringAttr(group, 'keras_version', KERAS2_VERSION);
      for (const layer of layers) {
        const layerGroup = group.create_group(layer.name);
        const names = layer.vars.map((v) => `${layer.name}/${v.name}:0`);
        writeStringListAttr(layerGroup, 'weight_names', names);
        layer.vars.forEach(({ variable }, i) => {
          writeFloat32(layerGroup, names[i] as string, variable.shape as number[], variable.read().dataSync() as Float32Array);
          weights += 1;
        });
      }
    });
    await commitFile(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return { file, bytes: (await stat(file)).size, layers: layers.length, weights };
}
