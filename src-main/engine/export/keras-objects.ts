import { GraftError } from '../../api/errors';

/**
 * Which Keras a file is written for. `keras3`: the `.keras` archive's config.json (objects
 * carry `module` and `registered_name`). `keras2`: the legacy `.h5` `model_config`, which
 * tf.keras 2.x and Keras 3's legacy loader both read (plain `class_name` + `config`).
 */
export type KerasFlavour = 'keras3' | 'keras2';

/** A JSON value as it goes into a Keras config. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/** What a tfjs layer config holds for an initializer, regularizer or constraint. */
interface TfjsObject {
  className: string;
  config: Record<string, unknown>;
}

/** Says which layer a serialisation problem belongs to. */
export interface LayerContext {
  name: string;
  className: string;
}

/** The GraftError for a setting a Keras file cannot carry faithfully. */
export function unwritable(layer: LayerContext, what: string): GraftError {
  return new GraftError(
    'bad-request',
    `Layer "${layer.name}" (${layer.className}) ${what}, which Graft cannot write into a Keras file; ` +
      'export this model as TF.js or ONNX instead.',
  );
}

function isTfjsObject(value: unknown): value is TfjsObject {
  return typeof value === 'object' && value !== null && typeof (value as TfjsObject).className === 'string';
}

/** Keras 3 writes public objects as module + class + config; Keras 2 as class + config. */
function wrap(flavour: KerasFlavour, module: string, className: string, config: JsonObject): JsonObject {
  if (flavour === 'keras2') return { class_name: className, config };
  return { module, class_name: className, config, registered_name: null };
}

function seedOf(config: Record<string, unknown>): number | null {
  const seed = config.seed;
  return typeof seed === 'number' ? seed : null;
}

function numberOf(config: Record<string, unknown>, key: string, layer: LayerContext, what: string): number {
  const value = config[key];
  if (typeof value !== 'number') throw unwritable(layer, `has a ${what} without a numeric "${key}"`);
  return value;
}

// tfjs spells VarianceScaling's settings in camelCase; its 'normal' draws a truncated normal.
const FAN_MODES: Record<string, string> = { fanIn: 'fan_in', fanOut: 'fan_out', fanAvg: 'fan_avg' };
const DISTRIBUTIONS: Record<string, string> = { normal: 'truncated_normal', truncatedNormal: 'truncated_normal', uniform: 'uniform' };

/**
 * An initializer as Keras serialises it. Initializers only decide a fresh layer's starting
 * values (the file's weights replace them), but Keras must be able to construct them.
 */
export function kerasInitializer(value: unknown, flavour: KerasFlavour, layer: LayerContext): JsonObject {
  if (!isTfjsObject(value)) throw unwritable(layer, 'has an initializer tfjs did not describe');
  const c = value.config ?? {};
  const num = (key: string): number => numberOf(c, key, layer, `${value.className} initializer`);
  let config: JsonObject;
  switch (value.className) {
    case 'Zeros':
    case 'Ones':
      config = {};
      break;
    case 'Constant':
      config = { value: num('value') };
      break;
    case 'RandomNormal':
    case 'TruncatedNormal':
      config = { seed: seedOf(c), mean: num('mean'), stddev: num('stddev') };
      break;
    case 'RandomUniform':
      config = { seed: seedOf(c), minval: num('minval'), maxval: num('maxval') };
      break;
    case 'VarianceScaling': {
      const mode = FAN_MODES[String(c.mode)];
      const distribution = DISTRIBUTIONS[String(c.distribution)];
      if (!mode || !distribution) throw unwritable(layer, `has a VarianceScaling initializer with mode "${String(c.mode)}" and distribution "${String(c.distribution)}"`);
      config = { seed: seedOf(c), scale: num('scale'), mode, distribution };
      break;
    }
    default:
      throw unwritable(layer, `uses the ${value.className} initializer`);
  }
  return wrap(flavour, 'keras.initializers', value.className, config);
}

/** A weight regularizer as Keras serialises it (null when there is none). */
export function kerasRegularizer(value: unknown, flavour: KerasFlavour, layer: LayerContext): JsonObject | null {
  if (value === null || value === undefined) return null;
  if (!isTfjsObject(value) || value.className !== 'L1L2') {
    throw unwritable(layer, isTfjsObject(value) ? `uses the ${value.className} regularizer` : 'has a regularizer tfjs did not describe');
  }
  const c = value.config ?? {};
  const l1 = typeof c.l1 === 'number' ? c.l1 : 0;
  const l2 = typeof c.l2 === 'number' ? c.l2 : 0;
  return wrap(flavour, 'keras.regularizers', 'L1L2', { l1, l2 });
}

/** A weight constraint as Keras serialises it (null when there is none). */
export function kerasConstraint(value: unknown, flavour: KerasFlavour, layer: LayerContext): JsonObject | null {
  if (value === null || value === undefined) return null;
  if (!isTfjsObject(value)) throw unwritable(layer, 'has a constraint tfjs did not describe');
  const c = value.config ?? {};
  const num = (key: string): number => numberOf(c, key, layer, `${value.className} constraint`);
  let config: JsonObject;
  switch (value.className) {
    case 'NonNeg':
      config = {};
      break;
    case 'UnitNorm':
      config = { axis: num('axis') };
      break;
    case 'MaxNorm':
      config = { max_value: num('maxValue'), axis: num('axis') };
      break;
    case 'MinMaxNorm':
      config = { min_value: num('minValue'), max_value: num('maxValue'), rate: num('rate'), axis: num('axis') };
      break;
    default:
      throw unwritable(layer, `uses the ${value.className} constraint`);
  }
  return wrap(flavour, 'keras.constraints', value.className, config);
}

/**
 * Activations that compute the same function in tfjs, Keras 2 and Keras 3, by the name each
 * writes. tfjs's `swish` is Keras's `silu` (Keras 3's name; Keras 2 says `swish`, which Keras 3
 * still reads); tfjs's `gelu` is the exact (erf) form, Keras's default. Others are refused:
 * tfjs's hardSigmoid, for one, is not Keras 3's.
 */
const ACTIVATIONS: Record<string, { keras3: string; keras2: string }> = {
  linear: { keras3: 'linear', keras2: 'linear' },
  relu: { keras3: 'relu', keras2: 'relu' },
  sigmoid: { keras3: 'sigmoid', keras2: 'sigmoid' },
  softmax: { keras3: 'softmax', keras2: 'softmax' },
  tanh: { keras3: 'tanh', keras2: 'tanh' },
  elu: { keras3: 'elu', keras2: 'elu' },
  selu: { keras3: 'selu', keras2: 'selu' },
  softplus: { keras3: 'softplus', keras2: 'softplus' },
  softsign: { keras3: 'softsign', keras2: 'softsign' },
  gelu: { keras3: 'gelu', keras2: 'gelu' },
  swish: { keras3: 'silu', keras2: 'swish' },
};

/** An activation by the name Keras serialises it with (both flavours write a bare name). */
export function kerasActivation(value: unknown, flavour: KerasFlavour, layer: LayerContext): string {
  const name = value === null || value === undefined ? 'linear' : String(value);
  const known = Object.hasOwn(ACTIVATIONS, name) ? ACTIVATIONS[name] : undefined;
  if (!known) throw unwritable(layer, `uses the "${name}" activation`);
  return known[flavour];
}

/** Keras 3's float32 dtype policy, as every layer's config carries it. */
export function keras3DtypePolicy(): JsonObject {
  return { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
}
