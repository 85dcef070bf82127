import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import { batchNormBatch, batchNormMoving } from './batchnorm-ops';
import { patchLayerCalls, type Layer } from './layer-call-patch';

// Keras runs a BatchNormalization layer whose `trainable` is False in inference mode, even inside
// fit(): it normalises with its moving statistics and never updates them (Keras ≥ 2.1.3, the
// behaviour fine-tuning guides rely on). tfjs-layers' BatchNormalization decides from the
// `training` call argument alone, so a "frozen" BN layer would still normalise with batch
// statistics and overwrite its moving mean and variance on every step. Two tfjs-layers bugs come
// along: in training mode a layer built with `scale: false` (InceptionV3's) reads a missing gamma
// and throws, and in either mode a missing gamma or beta reaches batchNorm as null, whose
// gradient then fails to save its inputs. So every BN layer gets one call of ours, which decides
// the mode from `trainable` at call time and passes ones/zeros for a missing gamma/beta.

type LayerVariable = Layer['weights'][number];

/** Marks a layer whose call we replaced, with what to put back. */
const PATCHED = Symbol.for('graft.keras-batchnorm');

/** The parts of a BatchNormalization layer its call needs. */
interface BatchNormParts {
  gamma: LayerVariable | undefined;
  beta: LayerVariable | undefined;
  movingMean: LayerVariable;
  movingVariance: LayerVariable;
  axis: number;
  momentum: number;
  epsilon: number;
}

/** True for tfjs-layers' BatchNormalization layers. */
export function isBatchNorm(layer: Layer): boolean {
  return layer.getClassName() === 'BatchNormalization';
}

/**
 * True when a BN layer runs in inference mode whatever the call says: the layer is not
 * trainable, or its gamma/beta are not (as after a model-level `trainable = false`).
 */
export function isFrozenBatchNorm(layer: Layer): boolean {
  if (!isBatchNorm(layer)) return false;
  if (!layer.trainable) return true;
  const params = layer.weights.filter((w) => /\/(gamma|beta)$/.test(w.originalName));
  return params.length > 0 && params.every((w) => !w.trainable);
}

/**
 * Gives every BatchNormalization layer of `model` Keras semantics: frozen layers (see
 * `isFrozenBatchNorm`, checked at each call, so later freezing or unfreezing needs no new call
 * here) normalise with their moving statistics and leave them unchanged; trainable ones behave as
 * before. Idempotent. Layers are shared by every model built from them (a prefix or a suffix), so
 * those follow too. Returns a function that restores the layers' own calls.
 */
export function applyKerasBatchNorm(tf: Tf, model: LayersModel): () => void {
  return patchLayerCalls(model, PATCHED, (layer) => {
    if (!isBatchNorm(layer)) return null;
    const parts = partsOf(layer);
    return (inputs, kwargs) => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const training = kwargs['training'] === true && !isFrozenBatchNorm(layer);
      return training ? normaliseBatch(tf, x, parts) : normaliseMoving(tf, x, parts);
    };
  });
}

function partsOf(layer: Layer): BatchNormParts {
  const find = (suffix: string) => layer.weights.find((w) => w.originalName.endsWith(`/${suffix}`));
  const movingMean = find('moving_mean');
  const movingVariance = find('moving_variance');
  if (!movingMean || !movingVariance) throw new Error(`BatchNormalization layer "${layer.name}" has no moving statistics; build it first.`);
  const config = layer.getConfig();
  const rank = layer.inputSpec?.[0]?.ndim ?? 4;
  const axis = Number(config['axis'] ?? -1);
  return {
    gamma: find('gamma'),
    beta: find('beta'),
    movingMean,
    movingVariance,
    axis: axis < 0 ? axis + rank : axis,
    momentum: Number(config['momentum'] ?? 0.99),
    epsilon: Number(config['epsilon'] ?? 1e-3),
  };
}

/** True when the channels are the last axis on tfjs-backend-wasm, where batchnorm-ops.ts is much faster. */
function fastPath(tf: Tf, x: Tensor, parts: BatchNormParts): boolean {
  return parts.axis === x.rank - 1 && tf.getBackend() === 'wasm';
}

/** Inference mode: moving statistics, nothing written. */
function normaliseMoving(tf: Tf, x: Tensor, parts: BatchNormParts): Tensor {
  return tf.tidy(() => {
    const [scale, offset] = scaleAndOffset(tf, parts);
    if (fastPath(tf, x, parts)) {
      return batchNormMoving(tf, x, { mean: parts.movingMean.read(), variance: parts.movingVariance.read(), scale, offset, epsilon: parts.epsilon });
    }
    return tf.batchNorm(x, broadcast(tf, parts.movingMean.read(), x, parts), broadcast(tf, parts.movingVariance.read(), x, parts), broadcast(tf, offset, x, parts), broadcast(tf, scale, x, parts), parts.epsilon);
  });
}

/** Training mode: batch statistics, and the moving ones move towards them (Keras's update). */
function normaliseBatch(tf: Tf, x: Tensor, parts: BatchNormParts): Tensor {
  return tf.tidy(() => {
    const [scale, offset] = scaleAndOffset(tf, parts);
    const { output: out, mean, variance } = fastPath(tf, x, parts) ? batchNormBatch(tf, x, scale, offset, parts.epsilon) : stockBatchNorm(tf, x, scale, offset, parts);
    const decay = 1 - parts.momentum;
    for (const [variable, batch] of [[parts.movingMean, mean], [parts.movingVariance, variance]] as const) {
      const current = variable.read();
      variable.write(tf.sub(current, tf.mul(tf.sub(current, batch), decay)));
    }
    return out;
  });
}

/** tfjs's moments and batchNorm, for any axis and backend. */
function stockBatchNorm(tf: Tf, x: Tensor, scale: Tensor, offset: Tensor, parts: BatchNormParts): { output: Tensor; mean: Tensor; variance: Tensor } {
  const axes = [...Array(x.rank).keys()].filter((a) => a !== parts.axis);
  const { mean, variance } = tf.moments(x, axes);
  const output = tf.batchNorm(x, broadcast(tf, mean, x, parts), broadcast(tf, variance, x, parts), broadcast(tf, offset, x, parts), broadcast(tf, scale, x, parts), parts.epsilon);
  return { output, mean, variance };
}

function scaleAndOffset(tf: Tf, parts: BatchNormParts): [Tensor, Tensor] {
  const channels = parts.movingMean.shape[0] ?? 1;
  return [parts.gamma?.read() ?? tf.ones([channels]), parts.beta?.read() ?? tf.zeros([channels])];
}

/** A per-channel vector shaped to broadcast against x (as is when the channel axis is last). */
function broadcast(tf: Tf, v: Tensor, x: Tensor, parts: BatchNormParts): Tensor {
  if (parts.axis === x.rank - 1) return v;
  const shape = Array<number>(x.rank).fill(1);
  shape[parts.axis] = v.size;
  return tf.reshape(v, shape);
}
