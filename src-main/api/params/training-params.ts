/** Parameter parsers of training: the run config and its parts, the LR range test, evaluation. */
import { array, bool, either, int, nullable, num, object, oneOf, optional, positiveInt, record, str, type Parser } from '../../base/parse';
import { SPLIT_NAMES } from '../types/library';
import type { AugmentMode, FreezePlan, HeadSpec, LrFinderRequest, StartFrom, TrainingConfig } from '../types/runs';
import type { AugmentSpec, ClassWeightSpec, EarlyStoppingSpec, LrFinderSpec, LrScheduleSpec, OptimizerSpec } from '../types/training';
import { inferenceWeights } from './inference-params';
import { archName, inputSize } from './models-params';

const fraction = num({ min: 0, max: 1 });
const dropout = num({ min: 0, max: 0.95 });
const learningRate = num({ min: 1e-10, max: 10 });
const layerName = str({ nonEmpty: true, maxLength: 200 });

/** The head: pooling, dense layers with dropout, the classifier. */
export const headSpec: Parser<HeadSpec> = object({
  pooling: oneOf(['avg', 'max', 'flatten'] as const),
  dropout: optional(dropout),
  layers: array(
    object({
      units: positiveInt(65_536),
      activation: optional(oneOf(['relu', 'gelu', 'swish', 'tanh', 'sigmoid', 'linear'] as const)),
      dropout: optional(dropout),
    }),
    { maxItems: 8 },
  ),
  output: optional(oneOf(['softmax', 'sigmoid'] as const)),
});

/** Which parts of the base train. */
export const freezePlan: Parser<FreezePlan> = (value, path) => {
  const { kind } = object({ kind: oneOf(['head-only', 'blocks', 'from', 'layers', 'all'] as const) })(value, path);
  switch (kind) {
    case 'head-only':
    case 'all':
      return { kind };
    case 'blocks':
      return { kind, ...object({ blocks: array(layerName, { minItems: 1, maxItems: 1000 }) })(value, path) };
    case 'from':
      return { kind, ...object({ block: layerName })(value, path) };
    case 'layers':
      return { kind, ...object({ layers: array(layerName, { minItems: 1, maxItems: 10_000 }) })(value, path) };
  }
};

/** An optimizer and its settings. */
export const optimizerSpec: Parser<OptimizerSpec> = object({
  name: oneOf(['adam', 'sgd', 'rmsprop'] as const),
  learningRate,
  momentum: optional(num({ min: 0, max: 0.9999 })),
  nesterov: optional(bool),
  beta1: optional(num({ min: 0, max: 0.9999 })),
  beta2: optional(num({ min: 0, max: 0.999999 })),
  rho: optional(num({ min: 0, max: 0.9999 })),
  epsilon: optional(num({ min: 0, max: 1 })),
});

/** A learning-rate schedule. */
export const lrSchedule: Parser<LrScheduleSpec> = (value, path) => {
  const { kind } = object({ kind: oneOf(['constant', 'cosine', 'step', 'one-cycle'] as const) })(value, path);
  switch (kind) {
    case 'constant':
      return { kind };
    case 'cosine':
      return { kind, ...object({ warmupEpochs: optional(num({ min: 0, max: 1000 })), minLrFraction: optional(fraction) })(value, path) };
    case 'step':
      return { kind, ...object({ everyEpochs: positiveInt(1000), factor: num({ min: 1e-6, max: 1 }) })(value, path) };
    case 'one-cycle':
      return {
        kind,
        ...object({ pctStart: optional(num({ min: 0.01, max: 0.99 })), divFactor: optional(num({ min: 1, max: 1e6 })), finalDivFactor: optional(num({ min: 1, max: 1e9 })) })(
          value,
          path,
        ),
      };
  }
};

/** Class weights: none, balanced, or manual by class name. */
export const classWeights: Parser<ClassWeightSpec> = (value, path) => {
  const { kind } = object({ kind: oneOf(['none', 'balanced', 'manual'] as const) })(value, path);
  if (kind !== 'manual') return { kind };
  return { kind, ...object({ weights: record(num({ min: 0, max: 1000 })) })(value, path) };
};

/** Keras EarlyStopping settings. */
export const earlyStopping: Parser<EarlyStoppingSpec> = object({
  monitor: oneOf(['valLoss', 'valAcc', 'loss', 'acc'] as const),
  mode: optional(oneOf(['auto', 'min', 'max'] as const)),
  patience: optional(int({ min: 0, max: 1000 })),
  minDelta: optional(num({ min: 0, max: 1e6 })),
  restoreBestWeights: optional(bool),
  baseline: optional(num()),
  startFromEpoch: optional(int({ min: 0, max: 10_000 })),
});

/** Random augmentation of training images. */
export const augmentSpec: Parser<AugmentSpec> = object({
  horizontalFlip: optional(bool),
  verticalFlip: optional(bool),
  rotationDegrees: optional(num({ min: 0, max: 180 })),
  zoom: optional(num({ min: 0, max: 0.9 })),
  brightness: optional(fraction),
  contrast: optional(fraction),
  hue: optional(num({ min: 0, max: 0.5 })),
  fillMode: optional(oneOf(['reflect', 'constant'] as const)),
  fillValue: optional(num({ min: 0, max: 255 })),
});

const augmentMode: Parser<AugmentMode> = either(
  object({ kind: oneOf(['cached'] as const), variants: positiveInt(64) }),
  object({ kind: oneOf(['fresh'] as const) }),
  '{ "kind": "cached", "variants": N } or { "kind": "fresh" }',
);

/** A trained model a run starts from. */
export const startFrom: Parser<StartFrom> = either(
  object({ kind: oneOf(['run'] as const), runId: positiveInt(), checkpoint: oneOf(['best', 'last'] as const) }),
  object({ kind: oneOf(['model'] as const), modelId: positiveInt() }),
  '{ "kind": "run", "runId": N, "checkpoint": "best" | "last" } or { "kind": "model", "modelId": N }',
);

/** The whole config of a run. */
export const trainingConfig: Parser<TrainingConfig> = object({
  base: object({ arch: archName, weights: inferenceWeights, inputSize: optional(inputSize) }),
  head: headSpec,
  freeze: freezePlan,
  optimizer: optimizerSpec,
  schedule: lrSchedule,
  epochs: positiveInt(10_000),
  batchSize: positiveInt(4096),
  twoStage: (value, path) =>
    value === null || value === undefined ? null : object({ fineTuneEpochs: positiveInt(10_000), lrFactor: optional(num({ min: 1e-6, max: 1 })) })(value, path),
  earlyStopping: (value, path) => (value === null || value === undefined ? null : earlyStopping(value, path)),
  classWeights,
  labelSmoothing: num({ min: 0, max: 0.5 }),
  augment: (value, path) => (value === null || value === undefined ? null : augmentSpec(value, path)),
  augmentMode,
  seed: int({ min: 0, max: 2 ** 32 - 1 }),
  useCache: bool,
  runtime: oneOf(['auto', 'onnx', 'tfjs'] as const),
  // Left out when absent or null, so configs from before it existed read back unchanged.
  startFrom: (value, path) => (value === null || value === undefined ? undefined : startFrom(value, path)),
});

/** `training.start`. */
export const trainingStartParams = object({ config: trainingConfig, name: optional(str({ nonEmpty: true, maxLength: 200 })) });

/** The LR range test's own settings. */
export const lrFinderSpec: Parser<LrFinderSpec> = object({
  minLr: optional(learningRate),
  maxLr: optional(learningRate),
  steps: optional(int({ min: 10, max: 1000 })),
  beta: optional(num({ min: 0, max: 0.999 })),
  divergeFactor: optional(num({ min: 1.5, max: 100 })),
});

/** `training.lrFind`. */
export const lrFinderRequest: Parser<LrFinderRequest> = object({ config: trainingConfig, finder: lrFinderSpec });

/** A run's id. */
export const runId = positiveInt();

/** `runs.evaluate`. */
export const evaluateParams = object({ runId, checkpoint: oneOf(['best', 'last'] as const), split: oneOf(SPLIT_NAMES) });

/** One image of a run's snapshot. */
export const runImage = object({
  imageId: positiveInt(),
  contentHash: str({ nonEmpty: true, maxLength: 128 }),
  path: str({ nonEmpty: true, maxLength: 4096 }),
  label: int({ min: 0, max: 100_000 }),
  split: oneOf(SPLIT_NAMES),
});

/** A run's class names, in label order. */
export const classList = array(str({ nonEmpty: true, maxLength: 1024 }), { minItems: 1, maxItems: 100_000 });

/** A run's classes and images. */
export const datasetSnapshot = object({ classes: classList, images: array(runImage, { maxItems: 10_000_000 }) });

const folder = str({ nonEmpty: true, maxLength: 4096 });

/** The folders a run's engine work writes to. */
export const runPaths = { runDir: folder, activationCacheDir: folder, weightsCacheDir: optional(folder) };

/** The engine's `evaluate`. */
export const engineEvaluateParams = object({
  ...runPaths,
  config: trainingConfig,
  classes: classList,
  checkpoint: oneOf(['best', 'last'] as const),
  split: oneOf(SPLIT_NAMES),
  images: array(runImage, { maxItems: 10_000_000 }),
});


/** `training.augmentPreview`. */
export const augmentPreviewParams = object({
  imageIds: array(positiveInt(), { minItems: 1, maxItems: 8 }),
  augment: augmentSpec,
  seed: int({ min: 0, max: 2 ** 32 - 1 }),
  variants: positiveInt(8),
  size: int({ min: 16, max: 256 }),
});

/** `runs.gradCam`. */
export const gradCamParams = object({ runId, checkpoint: oneOf(['best', 'last'] as const), imageId: positiveInt(), classIndex: optional(int({ min: 0, max: 100_000 })) });

/** `runs.predictions`. */
export const predictionQuery = object({
  evaluationId: positiveInt(),
  misclassified: optional(bool),
  trueClass: optional(int({ min: 0, max: 100_000 })),
  predictedClass: optional(int({ min: 0, max: 100_000 })),
  orderBy: optional(oneOf(['loss', 'confidence'] as const)),
  offset: optional(int({ min: 0 })),
  limit: optional(int({ min: 1, max: 500 })),
});

const imageRef = object({ imageId: positiveInt(), path: folder, contentHash: str({ nonEmpty: true, maxLength: 128 }) });

/** The engine's `augmentPreview`. */
export const engineAugmentPreviewParams = object({
  images: array(imageRef, { minItems: 1, maxItems: 8 }),
  augment: augmentSpec,
  seed: int({ min: 0, max: 2 ** 32 - 1 }),
  variants: positiveInt(8),
  size: int({ min: 16, max: 256 }),
});

/** The engine's `gradCam`. */
export const engineGradCamParams = object({
  runDir: folder,
  checkpoint: oneOf(['best', 'last'] as const),
  config: trainingConfig,
  image: object({ path: folder, contentHash: str({ nonEmpty: true, maxLength: 128 }) }),
  classIndex: optional(int({ min: 0, max: 100_000 })),
});

/** `runs.export`. */
export const exportParams = object({
  runId,
  checkpoint: oneOf(['best', 'last'] as const),
  format: oneOf(['tfjs', 'keras', 'h5', 'onnx', 'keras-job'] as const),
  out: optional(folder),
});

const numbers = array(num(), { maxItems: 100_000 });
const report = object({
  accuracy: num(),
  precision: numbers,
  recall: numbers,
  f1: numbers,
  support: numbers,
  confusion: array(numbers, { maxItems: 100_000 }),
  macro: object({ precision: num(), recall: num(), f1: num() }),
  weighted: object({ precision: num(), recall: num(), f1: num() }),
});
const epochRecord = object({
  epoch: int({ min: 0 }),
  stage: oneOf(['head', 'fine-tune'] as const),
  loss: num(),
  acc: num(),
  valLoss: nullable(num()),
  valAcc: nullable(num()),
  lr: num(),
  seconds: num(),
});

/** The engine's `export`. */
export const engineExportParams = object({
  runDir: folder,
  checkpoint: oneOf(['best', 'last'] as const),
  format: oneOf(['tfjs', 'keras', 'h5', 'onnx', 'keras-job'] as const),
  outDir: folder,
  meta: object({
    runId: positiveInt(),
    runName: str({ nonEmpty: true, maxLength: 400 }),
    createdAt: str({ maxLength: 100 }),
    appVersion: str({ maxLength: 100 }),
    checkpoint: oneOf(['best', 'last'] as const),
    config: trainingConfig,
    classes: classList,
    counts: object({ classes: classList, perClass: array(object({ train: int({ min: 0 }), validation: int({ min: 0 }), test: int({ min: 0 }) }), { maxItems: 100_000 }) }),
    history: array(epochRecord, { maxItems: 100_000 }),
    evaluations: array(
      object({ id: positiveInt(), split: oneOf(SPLIT_NAMES), checkpoint: oneOf(['best', 'last'] as const), report, createdAt: str({ maxLength: 100 }) }),
      { maxItems: 1000 },
    ),
    backend: nullable(str({ maxLength: 100 })),
    runtime: nullable(str({ maxLength: 100 })),
  }),
  parityImages: array(runImage, { maxItems: 1000 }),
  images: array(runImage, { maxItems: 10_000_000 }),
});
