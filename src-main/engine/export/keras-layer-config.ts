import type { LayersModel, LayerVariable } from '@tensorflow/tfjs';
import { weightRole, type WeightRole } from '../models/weights/weight-roles';
import {
  kerasActivation,
  kerasConstraint,
  kerasInitializer,
  kerasRegularizer,
  keras3DtypePolicy,
  unwritable,
  type Json,
  type JsonObject,
  type KerasFlavour,
  type LayerContext,
} from './keras-objects';

/** A layer of a tfjs model. */
export type ModelLayer = LayersModel['layers'][number];

/** A layer's Keras class and the `config` Keras constructs it from. */
export interface KerasLayerSpec {
  className: string;
  config: JsonObject;
}

/**
 * Reads a tfjs layer config (camelCase) and remembers what it read, so that a setting this
 * writer does not know is refused rather than silently dropped.
 */
class TfjsConfig {
  private readonly used = new Set<string>(['name', 'trainable', 'dtype', 'batchInputShape']);

  constructor(
    private readonly raw: Record<string, unknown>,
    readonly layer: LayerContext,
  ) {}

  get(key: string): unknown {
    this.used.add(key);
    return this.raw[key];
  }

  number(key: string, fallback?: number): number {
    const value = this.get(key) ?? fallback;
    if (typeof value !== 'number') throw unwritable(this.layer, `has no numeric "${key}"`);
    return value;
  }

  optionalNumber(key: string): number | null {
    const value = this.get(key);
    return typeof value === 'number' ? value : null;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.get(key) ?? fallback;
    if (typeof value !== 'boolean') throw unwritable(this.layer, `has a non-boolean "${key}"`);
    return value;
  }

  /** A size per spatial axis (`kernelSize`, `strides`, …); tfjs may keep a single number. */
  pair(key: string, fallback?: number): number[] {
    const value = this.get(key) ?? fallback;
    if (typeof value === 'number') return [value, value];
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) return value as number[];
    throw unwritable(this.layer, `has a "${key}" that is not two sizes`);
  }

  padding(): string {
    const value = this.get('padding') ?? 'valid';
    if (value !== 'same' && value !== 'valid') throw unwritable(this.layer, `uses "${String(value)}" padding`);
    return value;
  }

  dataFormat(): string {
    const value = this.get('dataFormat') ?? 'channelsLast';
    if (value === 'channelsLast') return 'channels_last';
    if (value === 'channelsFirst') return 'channels_first';
    throw unwritable(this.layer, `has data format "${String(value)}"`);
  }

  /** Fails on any setting no mapping read, and on a dtype other than float32. */
  finish(): void {
    const dtype = this.raw.dtype;
    if (dtype !== undefined && dtype !== null && dtype !== 'float32') throw unwritable(this.layer, `computes in ${String(dtype)}`);
    const unknown = Object.keys(this.raw).filter((key) => !this.used.has(key) && this.raw[key] !== null && this.raw[key] !== undefined);
    if (unknown.length > 0) throw unwritable(this.layer, `has setting${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
  }
}

type Mapper = (c: TfjsConfig, flavour: KerasFlavour) => JsonObject;

/** A weight's initializer, regularizer and constraint, read from `<prefix>Initializer` etc. */
function weightObjects(c: TfjsConfig, flavour: KerasFlavour, prefix: string): { initializer: Json; regularizer: Json; constraint: Json } {
  return {
    initializer: kerasInitializer(c.get(`${prefix}Initializer`), flavour, c.layer),
    regularizer: kerasRegularizer(c.get(`${prefix}Regularizer`), flavour, c.layer),
    constraint: kerasConstraint(c.get(`${prefix}Constraint`), flavour, c.layer),
  };
}

function activityRegularizer(c: TfjsConfig, flavour: KerasFlavour): Json {
  return kerasRegularizer(c.get('activityRegularizer'), flavour, c.layer);
}

/** Keys in the order Keras writes them; `groups` only where Keras 3 (and no DepthwiseConv2D) takes it. */
const conv2d: Mapper = (c, flavour) => {
  const kernel = weightObjects(c, flavour, 'kernel');
  const bias = weightObjects(c, flavour, 'bias');
  return {
    filters: c.number('filters'),
    kernel_size: c.pair('kernelSize'),
    strides: c.pair('strides', 1),
    padding: c.padding(),
    data_format: c.dataFormat(),
    dilation_rate: c.pair('dilationRate', 1),
    ...(flavour === 'keras3' ? { groups: 1 } : {}),
    activation: kerasActivation(c.get('activation'), flavour, c.layer),
    use_bias: c.boolean('useBias', true),
    kernel_initializer: kernel.initializer,
    bias_initializer: bias.initializer,
    kernel_regularizer: kernel.regularizer,
    bias_regularizer: bias.regularizer,
    activity_regularizer: activityRegularizer(c, flavour),
    kernel_constraint: kernel.constraint,
    bias_constraint: bias.constraint,
  };
};

/**
 * Exactly the arguments of Keras 3's `DepthwiseConv2D.__init__` (and Keras 2's): no `groups`,
 * which Keras 3 refuses and which broke other tools' exports.
 */
const depthwiseConv2d: Mapper = (c, flavour) => {
  const depthwise = weightObjects(c, flavour, 'depthwise');
  const bias = weightObjects(c, flavour, 'bias');
  return {
    depth_multiplier: c.number('depthMultiplier', 1),
    kernel_size: c.pair('kernelSize'),
    strides: c.pair('strides', 1),
    padding: c.padding(),
    data_format: c.dataFormat(),
    dilation_rate: c.pair('dilationRate', 1),
    activation: kerasActivation(c.get('activation'), flavour, c.layer),
    use_bias: c.boolean('useBias', true),
    depthwise_initializer: depthwise.initializer,
    bias_initializer: bias.initializer,
    depthwise_regularizer: depthwise.regularizer,
    bias_regularizer: bias.regularizer,
    activity_regularizer: activityRegularizer(c, flavour),
    depthwise_constraint: depthwise.constraint,
    bias_constraint: bias.constraint,
  };
};

const batchNormalization: Mapper = (c, flavour) => {
  const axis = c.get('axis') ?? -1;
  if (typeof axis !== 'number') throw unwritable(c.layer, 'normalises over several axes');
  return {
    axis,
    momentum: c.number('momentum', 0.99),
    epsilon: c.number('epsilon', 1e-3),
    center: c.boolean('center', true),
    scale: c.boolean('scale', true),
    beta_initializer: kerasInitializer(c.get('betaInitializer'), flavour, c.layer),
    gamma_initializer: kerasInitializer(c.get('gammaInitializer'), flavour, c.layer),
    moving_mean_initializer: kerasInitializer(c.get('movingMeanInitializer'), flavour, c.layer),
    moving_variance_initializer: kerasInitializer(c.get('movingVarianceInitializer'), flavour, c.layer),
    beta_regularizer: kerasRegularizer(c.get('betaRegularizer'), flavour, c.layer),
    gamma_regularizer: kerasRegularizer(c.get('gammaRegularizer'), flavour, c.layer),
    beta_constraint: kerasConstraint(c.get('betaConstraint'), flavour, c.layer),
    gamma_constraint: kerasConstraint(c.get('gammaConstraint'), flavour, c.layer),
    ...(flavour === 'keras3' ? { synchronized: false } : {}),
  };
};

const dense: Mapper = (c, flavour) => {
  const kernel = weightObjects(c, flavour, 'kernel');
  const bias = weightObjects(c, flavour, 'bias');
  const activity = activityRegularizer(c, flavour);
  return {
    units: c.number('units'),
    activation: kerasActivation(c.get('activation'), flavour, c.layer),
    use_bias: c.boolean('useBias', true),
    kernel_initializer: kernel.initializer,
    bias_initializer: bias.initializer,
    kernel_regularizer: kernel.regularizer,
    bias_regularizer: bias.regularizer,
    // Keras 3's Dense writes it only when set (through the base Layer); tf.keras always did.
    ...(flavour === 'keras2' || activity !== null ? { activity_regularizer: activity } : {}),
    kernel_constraint: kernel.constraint,
    bias_constraint: bias.constraint,
  };
};

// tfjs's ReLU has only a ceiling: its slope below zero and its threshold are Keras's defaults.
const relu: Mapper = (c) => ({ max_value: c.optionalNumber('maxValue'), negative_slope: 0, threshold: 0 });

// tfjs fills in strides (the pool size when none were given), as Keras does.
const pooling: Mapper = (c) => ({
  pool_size: c.pair('poolSize'),
  padding: c.padding(),
  strides: c.pair('strides'),
  data_format: c.dataFormat(),
});

const globalPooling: Mapper = (c, flavour) => ({
  data_format: c.dataFormat(),
  ...(flavour === 'keras3' ? { keepdims: false } : {}),
});

function zeroPadding2d(c: TfjsConfig): JsonObject {
  const padding = c.get('padding');
  const valid = Array.isArray(padding) && padding.length === 2
    && padding.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === 'number'));
  if (!valid) throw unwritable(c.layer, 'has a padding that is not [[top, bottom], [left, right]]');
  return { padding: padding as number[][], data_format: c.dataFormat() };
}

function dropout(c: TfjsConfig): JsonObject {
  const noiseShape = c.get('noiseShape');
  if (noiseShape !== null && noiseShape !== undefined) throw unwritable(c.layer, 'drops with a noise shape');
  return { rate: c.number('rate'), noise_shape: null, seed: c.optionalNumber('seed') };
}

const MAPPERS: Record<string, Mapper> = {
  Conv2D: conv2d,
  DepthwiseConv2D: depthwiseConv2d,
  BatchNormalization: batchNormalization,
  Dense: dense,
  ReLU: relu,
  Activation: (c, flavour) => ({ activation: kerasActivation(c.get('activation'), flavour, c.layer) }),
  ZeroPadding2D: zeroPadding2d,
  MaxPooling2D: pooling,
  AveragePooling2D: pooling,
  GlobalAveragePooling2D: globalPooling,
  GlobalMaxPooling2D: globalPooling,
  Flatten: (c) => ({ data_format: c.dataFormat() }),
  Dropout: dropout,
  Add: () => ({}),
  Concatenate: (c) => ({ axis: c.number('axis', -1) }),
};

/** Layer classes a Keras file can carry (those the Keras Applications and Graft's heads use). */
export const WRITABLE_CLASSES: readonly string[] = ['InputLayer', ...Object.keys(MAPPERS)];

/** True for layers Keras calls with a list of tensors (merge layers). */
export function takesList(className: string): boolean {
  return className === 'Add' || className === 'Concatenate';
}

function inputLayer(c: TfjsConfig, name: string, flavour: KerasFlavour): JsonObject {
  const shape = c.get('batchInputShape');
  if (!Array.isArray(shape)) throw unwritable(c.layer, 'has no input shape');
  if (c.get('sparse') === true) throw unwritable(c.layer, 'takes sparse input');
  const batch = shape as Json[];
  // Keras 3 renamed batch_input_shape to batch_shape; neither writes ragged/optional by default.
  return flavour === 'keras3'
    ? { batch_shape: batch, dtype: 'float32', sparse: false, name }
    : { batch_input_shape: batch, dtype: 'float32', sparse: false, name };
}

/**
 * The Keras class and constructor config of a tfjs layer: Keras's snake_case keys, only the
 * keys that Keras's constructor for that class accepts (in every Keras 3 release from 3.4 for
 * `keras3`; in tf.keras 2.x and Keras 3's legacy loader for `keras2`), values serialised as
 * that Keras writes them. Throws a GraftError naming the layer for anything it cannot carry.
 */
export function kerasLayerSpec(layer: ModelLayer, flavour: KerasFlavour): KerasLayerSpec {
  const className = layer.getClassName();
  const context = { name: layer.name, className };
  // Keras uses "/" to address a layer's weights inside files and refuses it in names.
  if (layer.name.includes('/')) throw unwritable(context, 'has a "/" in its name');
  const c = new TfjsConfig(layer.getConfig() as Record<string, unknown>, context);
  if (className === 'InputLayer') {
    const config = inputLayer(c, layer.name, flavour);
    c.finish();
    return { className, config };
  }
  const mapper = MAPPERS[className];
  if (!mapper) throw unwritable(context, 'is a kind of layer');
  const own = mapper(c, flavour);
  c.finish();
  const dtype: Json = flavour === 'keras3' ? keras3DtypePolicy() : 'float32';
  return { className, config: { name: layer.name, trainable: layer.trainable, dtype, ...own } };
}

/** The keyword arguments Keras 3 records when it calls a layer of this class in a Functional model. */
export function keras3CallKwargs(className: string): JsonObject {
  // Layer.__call__ fills in `mask` when call() takes one and `training` when call() defaults it.
  if (className === 'BatchNormalization') return { mask: null };
  if (className === 'Dropout') return { training: false };
  return {};
}

/** One variable of a layer under the name Keras gives it. */
export interface KerasVariable {
  /** `kernel`, `bias`, `depthwise_kernel`, `gamma`, `beta`, `moving_mean`, `moving_variance`. */
  name: string;
  variable: LayerVariable;
}

/**
 * A layer's variables in the order Keras creates and stores them (Keras 3's `vars/0, 1, …`,
 * Keras 2's `weight_names`): Conv2D and Dense kernel then bias; DepthwiseConv2D depthwise
 * kernel then bias; BatchNormalization gamma, beta, moving mean, moving variance (gamma and
 * beta only when it scales and centres).
 */
export function kerasVariables(layer: ModelLayer): KerasVariable[] {
  const className = layer.getClassName();
  const config = layer.getConfig() as { useBias?: boolean; scale?: boolean; center?: boolean };
  const bias = config.useBias === false ? [] : ['bias'];
  let expected: string[];
  switch (className) {
    case 'Conv2D':
    case 'Dense':
      expected = ['kernel', ...bias];
      break;
    case 'DepthwiseConv2D':
      expected = ['depthwise_kernel', ...bias];
      break;
    case 'BatchNormalization':
      expected = [...(config.scale === false ? [] : ['gamma']), ...(config.center === false ? [] : ['beta']), 'moving_mean', 'moving_variance'];
      break;
    default:
      expected = [];
  }
  const byRole = new Map(layer.weights.map((w) => [weightRole(w.originalName), w]));
  const found = expected.map((name) => byRole.get(name as WeightRole));
  if (layer.weights.length !== expected.length || found.some((v) => v === undefined)) {
    const have = layer.weights.map((w) => w.originalName).join(', ') || 'none';
    throw unwritable({ name: layer.name, className }, `holds weights ${have} where Keras expects ${expected.join(', ') || 'none'}`);
  }
  return expected.map((name, i) => ({ name, variable: found[i] as LayerVariable }));
}
