import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import { GraftError } from '../../api/errors';
import type { HeadSpec } from '../../api/types/runs';
import type { Tf } from '../backend';

/** How the classifier is built beyond the plain-data spec. */
export interface HeadOptions {
  /** Number of classes of the project (at least 2). */
  classes: number;
  /** Seeds the head's initial weights: the same seed gives the same head. */
  seed?: number;
  /** Leave `predictions` linear (logits) for a loss computed from logits; default false (Keras's softmax/sigmoid). */
  logits?: boolean;
}

/**
 * Names of the head's layers, stable across runs because checkpoints load by name: pooling
 * `head_pool` (`head_flatten` for Flatten), `head_dropout` after it, then `head_dense_<n>` and
 * `head_dropout_<n>`, and the classifier `predictions` as in Keras Applications.
 */
export const HEAD_NAMES = {
  pool: 'head_pool',
  flatten: 'head_flatten',
  poolDropout: 'head_dropout',
  dense: (n: number) => `head_dense_${n}`,
  dropout: (n: number) => `head_dropout_${n}`,
  predictions: 'predictions',
} as const;

/**
 * Grafts a classification head onto a trunk built without its top and without pooling
 * (`buildModel(tf, arch, { includeTop: false })`): pooling, optional dropout, the dense layers,
 * then `predictions` — a softmax over the classes, or one sigmoid unit when the spec asks for it
 * with two classes. The trunk's layers are shared, not copied; the caller owns the result.
 *
 * Dropout layers are deliberately unseeded: tfjs's Dropout with a seed draws the same mask on
 * every call, which is no dropout at all.
 */
export function graftHead(tf: Tf, trunk: LayersModel, head: HeadSpec, options: HeadOptions): LayersModel {
  checkHead(head, options);
  const features = trunk.outputs[0];
  if (trunk.outputs.length !== 1 || !features || features.shape.length !== 4) {
    throw new GraftError('bad-request', `A head goes on a trunk's 4-D feature map; this trunk ends in [${features?.shape.join(', ') ?? ''}]. Build it without pooling.`);
  }
  const seed = options.seed ?? 0;
  const initializer = (k: number) => ({ kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 1009 + k }) });
  const apply = (layer: { apply(x: SymbolicTensor): unknown }, x: SymbolicTensor) => layer.apply(x) as SymbolicTensor;

  let x =
    head.pooling === 'avg'
      ? apply(tf.layers.globalAveragePooling2d({ name: HEAD_NAMES.pool }), features)
      : head.pooling === 'max'
        ? apply(tf.layers.globalMaxPooling2d({ name: HEAD_NAMES.pool }), features)
        : apply(tf.layers.flatten({ name: HEAD_NAMES.flatten }), features);
  if (head.dropout) x = apply(tf.layers.dropout({ rate: head.dropout, name: HEAD_NAMES.poolDropout }), x);
  head.layers.forEach((layer, i) => {
    x = apply(tf.layers.dense({ units: layer.units, activation: layer.activation ?? 'relu', name: HEAD_NAMES.dense(i + 1), ...initializer(i + 1) }), x);
    if (layer.dropout) x = apply(tf.layers.dropout({ rate: layer.dropout, name: HEAD_NAMES.dropout(i + 1) }), x);
  });
  const sigmoid = head.output === 'sigmoid';
  const activation = options.logits ? 'linear' : sigmoid ? 'sigmoid' : 'softmax';
  const outputs = apply(tf.layers.dense({ units: sigmoid ? 1 : options.classes, activation, name: HEAD_NAMES.predictions, ...initializer(0) }), x);
  return tf.model({ inputs: trunk.inputs, outputs, name: trunk.name });
}

/** Rejects a head that cannot be built, with what to change. */
export function checkHead(head: HeadSpec, options: HeadOptions): void {
  if (!Number.isInteger(options.classes) || options.classes < 2) {
    throw new GraftError('bad-request', `A classifier needs at least two classes; got ${options.classes}.`);
  }
  if (head.output === 'sigmoid' && options.classes !== 2) {
    throw new GraftError('bad-request', `A sigmoid output works for exactly two classes; this head has ${options.classes}. Use softmax.`);
  }
  if (!['avg', 'max', 'flatten'].includes(head.pooling)) {
    throw new GraftError('bad-request', `Head pooling must be "avg", "max" or "flatten"; got "${String(head.pooling)}".`);
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
