import { GraftError } from '../../api/errors';

/** JSON as a Keras config holds it. */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Activations Keras 3 names differently from TensorFlow.js (Keras 3 writes swish as silu). */
const ACTIVATION_NAMES: Readonly<Record<string, string>> = { silu: 'swish', hard_sigmoid: 'hardSigmoid' };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A Keras 3 config value in the Keras 2 form TensorFlow.js deserializes: dtype policies become
 * their dtype name, serialized objects lose the `module` / `registered_name` keys Keras 3 adds,
 * activations take TensorFlow.js's names, and an InputLayer's `batch_shape` is Keras 2's
 * `batch_input_shape` (see keras2Layer).
 */
function keras2Value(value: Json): Json {
  if (Array.isArray(value)) return value.map(keras2Value);
  if (!isObject(value)) return value;
  if (value.class_name === 'DTypePolicy' || value.class_name === 'FloatDTypePolicy') {
    const name = isObject(value.config) ? value.config.name : null;
    return typeof name === 'string' ? name : 'float32';
  }
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === 'module' || key === 'registered_name' || key === 'build_config' || key === 'compile_config') continue;
    out[key] = key === 'activation' && typeof item === 'string' ? (ACTIVATION_NAMES[item] ?? item) : keras2Value(item);
  }
  return out;
}

/** The `[layer, node, tensor]` addresses of the Keras tensors in a call's arguments, in order. */
function tensorAddresses(value: Json, into: Json[][]): void {
  if (Array.isArray(value)) {
    for (const item of value) tensorAddresses(item, into);
    return;
  }
  if (!isObject(value)) return;
  if (value.class_name === '__keras_tensor__' && isObject(value.config) && Array.isArray(value.config.keras_history)) {
    into.push(value.config.keras_history);
    return;
  }
  for (const item of Object.values(value)) tensorAddresses(item, into);
}

/** A Keras 3 call record (`{args, kwargs}`) as Keras 2's list of `[layer, node, tensor, kwargs]`. */
function keras2Node(node: Json, layer: string): Json {
  if (Array.isArray(node)) return node; // Already Keras 2.
  if (!isObject(node)) throw new GraftError('bad-request', `Layer "${layer}" has a call record Graft cannot read.`);
  const addresses: Json[][] = [];
  tensorAddresses(node.args ?? [], addresses);
  const kwargs = isObject(node.kwargs) ? keras2Value(node.kwargs) : {};
  return addresses.map(([name, index, tensor]) => [name ?? null, index ?? 0, tensor ?? 0, kwargs]);
}

/** Keras 3 writes a single model input or output unwrapped: `["input", 0, 0]`. */
function addressList(value: Json | undefined): Json {
  if (Array.isArray(value) && typeof value[0] === 'string') return [value];
  return value ?? [];
}

/** A Keras layer entry (either version) as Keras 2 writes it. */
function keras2Layer(entry: Json): JsonObject {
  if (!isObject(entry) || typeof entry.class_name !== 'string') throw new GraftError('bad-request', 'The model config lists a layer without a class.');
  const config = isObject(entry.config) ? (keras2Value(entry.config) as JsonObject) : {};
  const name = typeof entry.name === 'string' ? entry.name : typeof config.name === 'string' ? config.name : '';
  if (entry.class_name === 'InputLayer' && config.batch_shape !== undefined && config.batch_input_shape === undefined) {
    config.batch_input_shape = config.batch_shape;
    delete config.batch_shape;
  }
  if (entry.class_name === 'Functional' || entry.class_name === 'Model' || entry.class_name === 'Sequential') {
    // A nested model: its own layers converted the same way.
    return { class_name: entry.class_name, name, config: keras2ModelBody(entry.config, name), inbound_nodes: nodesOf(entry, name) };
  }
  return { class_name: entry.class_name, name, config, inbound_nodes: nodesOf(entry, name) };
}

function nodesOf(entry: JsonObject, name: string): Json {
  return Array.isArray(entry.inbound_nodes) ? entry.inbound_nodes.map((node) => keras2Node(node, name)) : [];
}

function keras2ModelBody(config: Json | undefined, name: string): JsonObject {
  if (Array.isArray(config)) return { name, layers: config.map(keras2Layer) }; // Keras 2.2 Sequential: the layer list itself.
  if (!isObject(config) || !Array.isArray(config.layers)) throw new GraftError('bad-request', `Model "${name}" has no layer list; only Functional and Sequential models load.`);
  const out: JsonObject = { ...(keras2Value({ ...config, layers: [] }) as JsonObject), layers: config.layers.map(keras2Layer) };
  if (config.input_layers !== undefined) out.input_layers = addressList(config.input_layers);
  if (config.output_layers !== undefined) out.output_layers = addressList(config.output_layers);
  return out;
}

/**
 * A Keras model config — Keras 3's `config.json` of a `.keras` archive, or Keras 2's
 * `model_config` of an `.h5` file — as the Keras 2 topology TensorFlow.js builds a model from
 * (`tf.models.modelFromJSON`). Keras 2 configs pass through unchanged but for tidying.
 */
export function kerasTopology(config: unknown): JsonObject {
  if (!isObject(config) || typeof config.class_name !== 'string') throw new GraftError('bad-request', 'The model config is not a Keras model (no class name).');
  const className = config.class_name === 'Model' ? 'Functional' : config.class_name;
  if (className !== 'Functional' && className !== 'Sequential') {
    throw new GraftError('bad-request', `The file holds a Keras ${config.class_name}; only Functional and Sequential models load.`);
  }
  const name = isObject(config.config) && typeof config.config.name === 'string' ? config.config.name : 'model';
  return { class_name: className, config: keras2ModelBody(config.config, name), keras_version: '2.15.0', backend: 'tensorflow' };
}
