import { GraftError } from '../../api/errors';
import { ARCHITECTURES } from '../../api/model-catalog';
import type { ArchName } from '../../api/types/models';
import { isKerasNaming, type KerasNaming } from './keras-names';

/** Global pooling after the last convolutional block when the top is left off (Keras `pooling`). */
export type Pooling = 'avg' | 'max';

/** Activation of the `predictions` layer; `null` means logits, as in Keras. */
export type ClassifierActivation = 'softmax' | 'linear' | null;

/** Options that mirror `keras.applications.X(...)`; weights are never loaded here (`weights=None`). */
export interface BuildOptions {
  /** Include the ImageNet classifier (default true). */
  includeTop?: boolean;
  /** Only used when `includeTop` is false; undefined leaves the 4-D feature map. */
  pooling?: Pooling;
  /** `[height, width, 3]`; defaults to the architecture's square default size. */
  inputShape?: readonly [number, number, number];
  /** Number of output classes of `predictions` (default 1000). */
  classes?: number;
  /** Default 'softmax'. */
  classifierActivation?: ClassifierActivation;
  /**
   * InceptionV3 only: how its unnamed layers are numbered. Default 'keras2' (`conv2d_1` …
   * `conv2d_94`), the names in Keras's ImageNet weight file and in nsfwjs's model.
   */
  inceptionNaming?: KerasNaming;
}

/** Build options with every default filled in and every value checked. */
export interface ResolvedOptions {
  includeTop: boolean;
  pooling: Pooling | undefined;
  inputShape: [number, number, number];
  classes: number;
  classifierActivation: 'softmax' | 'linear';
  inceptionNaming: KerasNaming;
}

/** Fills in defaults and rejects what Keras would reject, with a message the user can act on. */
export function resolveOptions(arch: ArchName, options: BuildOptions = {}): ResolvedOptions {
  const spec = ARCHITECTURES[arch];
  const inputShape = options.inputShape ?? [spec.defaultInputSize, spec.defaultInputSize, 3];
  if (inputShape.length !== 3 || inputShape[2] !== 3) {
    throw new GraftError('bad-request', `Input shape must be [height, width, 3] (RGB); got [${inputShape.join(', ')}].`);
  }
  for (const side of [inputShape[0], inputShape[1]]) {
    if (!Number.isInteger(side) || side < spec.minInputSize) {
      throw new GraftError(
        'bad-request',
        `${spec.displayName} needs an input of at least ${spec.minInputSize}×${spec.minInputSize} pixels; got ${inputShape[0]}×${inputShape[1]}.`,
      );
    }
  }
  const classes = options.classes ?? 1000;
  if (!Number.isInteger(classes) || classes < 1) {
    throw new GraftError('bad-request', `The number of classes must be a positive whole number; got ${classes}.`);
  }
  const pooling = options.pooling;
  const activation = options.classifierActivation === undefined ? 'softmax' : options.classifierActivation;
  if (activation !== null && activation !== 'softmax' && activation !== 'linear') {
    throw new GraftError('bad-request', `Classifier activation must be "softmax", "linear" or null; got "${String(activation)}".`);
  }
  const naming = options.inceptionNaming ?? 'keras2';
  if (!isKerasNaming(naming)) {
    throw new GraftError('bad-request', `InceptionV3 naming must be "keras2" or "keras3"; got "${String(naming)}".`);
  }
  return {
    includeTop: options.includeTop ?? true,
    pooling,
    inputShape: [inputShape[0], inputShape[1], 3],
    classes,
    classifierActivation: activation ?? 'linear',
    inceptionNaming: naming,
  };
}
