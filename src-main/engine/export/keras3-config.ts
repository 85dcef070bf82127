import { kerasGraph, type KerasGraph, type TensorRef } from './keras-graph';
import { keras3CallKwargs, kerasLayerSpec, takesList } from './keras-layer-config';
import type { Json, JsonObject } from './keras-objects';
import type { LayersModel } from '@tensorflow/tfjs';

/** The Keras version whose `.keras` layout and config keys the archive reproduces (see kerasLayerSpec). */
export const KERAS3_VERSION = '3.8.0';

/** A tensor argument as Keras 3 serialises it inside `inbound_nodes`. */
function kerasTensor(ref: TensorRef): JsonObject {
  return {
    class_name: '__keras_tensor__',
    config: { shape: ref.shape, dtype: 'float32', keras_history: [ref.layer, ref.node, ref.tensor] },
  };
}

function tensorAddress(ref: TensorRef): Json {
  return [ref.layer, ref.node, ref.tensor];
}

/** Keras 3 keeps a single input or output unwrapped (how `keras.applications` models save). */
function addresses(refs: TensorRef[]): Json {
  return refs.length === 1 ? tensorAddress(refs[0] as TensorRef) : refs.map(tensorAddress);
}

/**
 * Keras 3's serialised Functional model (the `.keras` archive's `config.json`): every layer
 * as `module` / `class_name` / `config` / `registered_name` / `build_config` / `name` /
 * `inbound_nodes`, calls recorded as `args` of `__keras_tensor__`s (a list of them for merge
 * layers) and the `kwargs` Keras records, in Keras's layer order.
 */
export function keras3ModelConfig(model: LayersModel, name = model.name, graph: KerasGraph = kerasGraph(model)): JsonObject {
  const layers = graph.layers.map(({ layer, calls }): JsonObject => {
    const spec = kerasLayerSpec(layer, 'keras3');
    const list = takesList(spec.className);
    const entry: JsonObject = { module: 'keras.layers', class_name: spec.className, config: spec.config, registered_name: null };
    const first = calls[0];
    if (first) {
      // A layer is built on its first call; Keras records the shape(s) it was built for.
      entry.build_config = { input_shape: list ? first.inputs.map((r) => r.shape) : (first.inputs[0]?.shape ?? null) };
    }
    entry.name = layer.name;
    entry.inbound_nodes = calls.map((call) => ({
      args: [list ? call.inputs.map(kerasTensor) : kerasTensor(call.inputs[0] as TensorRef)],
      kwargs: keras3CallKwargs(spec.className),
    }));
    return entry;
  });
  return {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config: {
      name,
      trainable: model.trainable,
      layers,
      input_layers: addresses(graph.inputs),
      output_layers: addresses(graph.outputs),
    },
    registered_name: 'Functional',
    build_config: { input_shape: null },
    compile_config: null,
  };
}

/** `metadata.json`: the Keras version and the save time as Keras formats it (local time). */
export function keras3Metadata(savedAt: Date): JsonObject {
  const two = (n: number): string => String(n).padStart(2, '0');
  const date = `${savedAt.getFullYear()}-${two(savedAt.getMonth() + 1)}-${two(savedAt.getDate())}`;
  const time = `${two(savedAt.getHours())}:${two(savedAt.getMinutes())}:${two(savedAt.getSeconds())}`;
  return { keras_version: KERAS3_VERSION, date_saved: `${date}@${time}` };
}
