import { createHash } from 'node:crypto';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import { GraftError } from '../../api/errors';
import type { HeadSpec } from '../../api/types/runs';
import type { Tf } from '../backend';
import { applyKerasBatchNorm, isBatchNorm } from './frozen-batchnorm';
import { applyWasmLayerGradients } from './wasm-layer-gradients';

type Layer = LayersModel['layers'][number];

/** Layers whose output in training differs from inference by chance: never part of a cached prefix. */
export const STOCHASTIC = new Set(['Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout']);

/**
 * Grafts a classification head onto a trunk built without its top and without pooling: pooling
 * (`head_pool`, or `head_flatten`), optional dropout, dense layers (`head_dense_<n>`,
 * `head_dropout_<n>`), then `predictions` — softmax over the classes, or one sigmoid unit for
 * two classes. Names are stable (checkpoints load by name). The trunk's layers are shared, not
 * copied. For logits, call the model inside `withLinearOutput`.
 */
export function buildTrainingModel(tf: Tf, base: LayersModel, head: HeadSpec, classes: number, seed = 0): LayersModel {
  checkHead(base, head, classes);
  let x = base.outputs[0]!;
  const pool =
    head.pooling === 'avg'
      ? tf.layers.globalAveragePooling2d({ name: 'head_pool' })
      : head.pooling === 'max'
        ? tf.layers.globalMaxPooling2d({ name: 'head_pool' })
        : tf.layers.flatten({ name: 'head_flatten' });
  x = pool.apply(x) as SymbolicTensor;
  // Seeded initial weights: the same seed gives the same run. Dropout stays unseeded: a seeded
  // tfjs Dropout draws the same mask on every call, which would drop the same units every step.
  const seeded = (k: number) => ({ kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 101 + k }) });
  if (head.dropout) x = tf.layers.dropout({ rate: head.dropout, name: 'head_dropout' }).apply(x) as SymbolicTensor;
  head.layers.forEach((layer, i) => {
    x = tf.layers.dense({ units: layer.units, activation: layer.activation ?? 'relu', name: `head_dense_${i + 1}`, ...seeded(i + 1) }).apply(x) as SymbolicTensor;
    if (layer.dropout) x = tf.layers.dropout({ rate: layer.dropout, name: `head_dropout_${i + 1}` }).apply(x) as SymbolicTensor;
  });
  const sigmoid = head.output === 'sigmoid';
  const outputs = tf.layers
    .dense({ units: sigmoid ? 1 : classes, activation: sigmoid ? 'sigmoid' : 'softmax', name: 'predictions', ...seeded(0) })
    .apply(x) as SymbolicTensor;
  return tf.model({ inputs: base.inputs, outputs, name: base.name });
}

/**
 * Refuses what cannot make a head, with what to change: the API's parsers check a run's spec,
 * but the engine also builds heads for benches, exports and tests.
 */
function checkHead(base: LayersModel, head: HeadSpec, classes: number): void {
  if (!Number.isInteger(classes) || classes < 2) throw new GraftError('bad-request', `A classifier needs at least two classes; this run has ${classes}.`);
  if (head.output === 'sigmoid' && classes !== 2) throw new GraftError('bad-request', `A sigmoid output works for exactly two classes; this run has ${classes}. Use softmax.`);
  if (!['avg', 'max', 'flatten'].includes(head.pooling)) {
    throw new GraftError('bad-request', `Head pooling must be "avg", "max" or "flatten"; got "${String(head.pooling)}".`);
  }
  const features = base.outputs[0];
  if (base.outputs.length !== 1 || features?.shape.length !== 4) {
    // A pooled trunk would be pooled twice (or flattened to nothing): the head does the pooling.
    throw new GraftError('bad-request', `A head goes on a trunk's feature map; this trunk ends in [${features?.shape.join(', ') ?? ''}]. Build it without pooling.`);
  }
  const checkDropout = (rate: number | undefined, where: string) => {
    if (rate !== undefined && !(rate >= 0 && rate < 1)) throw new GraftError('bad-request', `Dropout ${where} must be at least 0 and below 1; got ${rate}.`);
  };
  checkDropout(head.dropout, 'after pooling');
  head.layers.forEach((layer, i) => {
    if (!Number.isInteger(layer.units) || layer.units < 1) {
      throw new GraftError('bad-request', `Dense layer ${i + 1} of the head needs a positive whole number of units; got ${layer.units}.`);
    }
    checkDropout(layer.dropout, `after dense layer ${i + 1}`);
  });
}

/** A model split at its freeze cut: what the cache stores, and the part that trains. */
export interface FreezeCut {
  /** Layers whose outputs cross from the frozen prefix into the trainable part, in a fixed order. */
  boundary: string[];
  /** Every layer of the frozen prefix (its weights never change). */
  prefixLayers: string[];
  /** The trainable part: one input per boundary layer, sharing the model's layers (training it trains the model). */
  suffix: LayersModel;
  /** True: the suffix is trained on logits (the final softmax or sigmoid is taken off for the loss, as Keras does). */
  fromLogits: boolean;
  /** Runs `fn` with the final activation off (linear), for a training step on logits. */
  asLogits<T>(fn: () => T): T;
  /** True when some trainable BatchNormalization of the suffix normalises with batch statistics (training mode). */
  batchStatistics: boolean;
  /** Puts back what the cut changed (BatchNorm call modes) and releases the suffix (the model keeps the weights). */
  dispose(): void;
}

/** True when a layer has weights that train (the model's `trainable` flags as they are now). */
export function trains(layer: Layer): boolean {
  return layer.trainable && layer.trainableWeights.length > 0;
}

function inboundOf(layer: Layer): Layer[] {
  const node = layer.inboundNodes[0];
  return node ? node.inboundLayers : [];
}

/**
 * Finds the freeze cut: the prefix is every layer whose inputs all come from the prefix and
 * that neither trains nor behaves randomly in training; the boundary is each prefix layer that
 * feeds a layer outside it (a residual skip or an Inception branch can make several). Builds
 * the suffix over those boundaries with the same layer objects. Frozen BatchNormalization
 * layers left in the suffix run in inference mode (Keras semantics: moving statistics used
 * and kept, whatever the `training` flag says); with `batchNormInference: 'all'` the
 * trainable ones do too (their scale and offset still learn) — the Keras transfer-learning
 * guide's advice when fine-tuning pretrained weights, whose statistics a small dataset's
 * batches would only disturb.
 */
export function cutOf(tf: Tf, model: LayersModel, options: { batchNormInference?: 'frozen' | 'all' } = {}): FreezeCut {
  if (model.inputs.length !== 1) throw new GraftError('bad-request', 'Only models with one image input can be trained.');
  const prefix = new Set<Layer>();
  for (const layer of model.layers) {
    const inputs = inboundOf(layer);
    const isInput = inputs.length === 0;
    const frozenInputs = inputs.every((l) => prefix.has(l));
    if (isInput || (frozenInputs && !trains(layer) && !STOCHASTIC.has(layer.getClassName()))) prefix.add(layer);
  }
  const outputLayer = model.outputs[0]!.sourceLayer as Layer;
  if (prefix.has(outputLayer)) throw new GraftError('bad-request', 'Nothing in this model trains: unfreeze the head or some blocks.');
  const boundary = model.layers.filter((layer) => prefix.has(layer) && model.layers.some((l) => !prefix.has(l) && inboundOf(l).includes(layer)));

  // Keras semantics for every BatchNormalization (frozen ones in inference mode; a missing
  // scale, as InceptionV3's, no longer breaks gradients), then, when asked, the trainable ones
  // in inference mode too (wrapping the Keras call, so undone first).
  const undoKerasBn = applyKerasBatchNorm(tf, model);
  const undoWasmLayers = applyWasmLayerGradients(tf, model);
  const undoForced: (() => void)[] = [];
  const trainableBatchNorms = model.layers.filter((layer) => !prefix.has(layer) && isBatchNorm(layer) && layer.trainable);
  if (options.batchNormInference === 'all') for (const layer of trainableBatchNorms) undoForced.push(forceInferenceMode(layer));
  const suffix = modelFrom(tf, model, boundary, `${model.name}_trainable`);
  return {
    boundary: boundary.map((l) => l.name),
    prefixLayers: [...prefix].map((l) => l.name),
    suffix,
    fromLogits: outputActivation(outputLayer) !== null,
    asLogits: (fn) => withLinearOutput(tf, model, fn),
    batchStatistics: options.batchNormInference !== 'all' && trainableBatchNorms.length > 0,
    dispose: () => {
      for (const restore of undoForced) restore();
      undoKerasBn();
      undoWasmLayers();
      // Re-applying a layer counts a reference to it: release the suffix's, so the model's dispose frees the weights.
      suffix.dispose();
    },
  };
}

/**
 * The part of a model after the given layers: one new input per layer (its output's shape),
 * the model's later layers applied again in order (the same layer objects, so the weights are
 * shared). Release it with `dispose()` before the model's own dispose.
 */
export function modelFrom(tf: Tf, model: LayersModel, from: readonly Layer[], name: string): LayersModel {
  const mapped = new Map<Layer, SymbolicTensor>();
  const inputs = from.map((layer) => {
    // Node 0 is the model's own application: an earlier cut's suffix applied the layer again, and
    // `layer.output` throws once a layer has more than one.
    const output = layer.getOutputAt(0) as SymbolicTensor;
    const input = tf.input({ shape: output.shape.slice(1) as number[], name: `cut_${layer.name}` });
    mapped.set(layer, input);
    return input;
  });
  // Everything the boundary layers depend on stays out.
  const before = new Set<Layer>();
  const stack = [...from];
  for (let layer = stack.pop(); layer; layer = stack.pop()) {
    if (before.has(layer)) continue;
    before.add(layer);
    stack.push(...inboundOf(layer));
  }
  for (const layer of model.layers) {
    if (before.has(layer)) continue;
    const args = inboundOf(layer).map((l) => {
      const tensor = mapped.get(l);
      if (!tensor) throw new GraftError('internal', `Layer "${layer.name}" needs "${l.name}", which is neither after the cut nor on it.`);
      return tensor;
    });
    mapped.set(layer, layer.apply(args.length === 1 ? args[0]! : args) as SymbolicTensor);
  }
  const outputLayer = model.outputs[0]!.sourceLayer as Layer;
  return tf.model({ inputs, outputs: mapped.get(outputLayer)!, name });
}

/** Runs `fn` with a final Dense softmax/sigmoid switched to linear (logits), as a loss or Grad-CAM wants. */
export function withLinearOutput<T>(tf: Tf, model: LayersModel, fn: () => T): T {
  const layer = model.outputs[0]!.sourceLayer as Layer;
  if (!outputActivation(layer)) return fn();
  const holder = layer as unknown as { activation: unknown };
  const original = holder.activation;
  holder.activation = (tf.layers.dense({ units: 1, activation: 'linear' }) as unknown as { activation: unknown }).activation;
  try {
    return fn();
  } finally {
    holder.activation = original;
  }
}

/** The final layer's softmax or sigmoid, when it has one to take off for a loss on logits. */
function outputActivation(layer: Layer): string | null {
  const config = layer.getConfig() as { activation?: unknown };
  return layer.getClassName() === 'Dense' && (config.activation === 'softmax' || config.activation === 'sigmoid') ? String(config.activation) : null;
}

/**
 * Makes a (frozen) BatchNormalization layer use its moving statistics and leave them alone
 * even when called with `training: true` — tfjs-layers looks only at that flag, Keras also at
 * `trainable`. Returns the undo.
 */
export function forceInferenceMode(layer: Layer): () => void {
  const target = layer as unknown as { call: (inputs: unknown, kwargs: Record<string, unknown>) => unknown };
  const original = target.call;
  target.call = (inputs, kwargs) => original.call(layer, inputs, { ...kwargs, training: false });
  return () => {
    target.call = original;
  };
}

/** A hash of the prefix's weight values, so a changed weights file never reuses stale activations. */
export async function prefixWeightsHash(model: LayersModel, prefixLayers: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  const wanted = new Set(prefixLayers);
  for (const layer of model.layers) {
    if (!wanted.has(layer.name)) continue;
    // By layer name and position: tfjs numbers variable names apart when a process builds a model twice.
    for (const [i, weight] of layer.weights.entries()) {
      hash.update(`${layer.name}/${i}`);
      const values = (await weight.read().data()) as Float32Array;
      hash.update(Buffer.from(values.buffer, values.byteOffset, values.byteLength));
    }
  }
  return hash.digest('hex').slice(0, 32);
}
