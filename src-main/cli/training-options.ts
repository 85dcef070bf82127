import { GraftError } from '../api/errors';
import { ARCH_NAMES } from '../api/model-catalog';
import { runtimeChoice } from '../api/params/inference-params';
import { inputSize } from '../api/params/models-params';
import { augmentSpec, headSpec, lrSchedule, optimizerSpec, trainingConfig } from '../api/params/training-params';
import type { AugmentMode, FreezePlan, HeadLayerSpec, HeadSpec, StartFrom, TrainingConfig, TwoStageSpec } from '../api/types/runs';
import type { AugmentSpec, LrScheduleSpec, OptimizerName } from '../api/types/training';
import { int, num, oneOf, ParseError, positiveInt } from '../base/parse';
import type { CliOptions, CliValues } from './command';
import { defaultWeights, option, parseBase, parseWeights } from './inference-options';
import { bareTerm, checkTerms, numberOption, splitTerms, termNumber, textOption } from './option-terms';

/** Defaults a user of a fine-tuning tool expects (Keras's where Keras has one). */
export const TRAINING_DEFAULTS = {
  epochs: 10,
  batchSize: 32,
  seed: 42,
  augmentVariants: 4,
  lrFactor: 0.1,
  learningRate: { adam: 1e-3, sgd: 1e-2, rmsprop: 1e-3 } satisfies Record<OptimizerName, number>,
} as const;

/** The options that say what a run trains and how (shared by `graft train` and `graft lr-find`), each with its help. */
export const TRAINING_OPTIONS: CliOptions = {
  base: { type: 'string', value: 'ARCH', required: true, description: `the pretrained base: ${ARCH_NAMES.join(', ')}` },
  weights: {
    type: 'string',
    value: 'bundled|imagenet|none|FILE',
    description:
      'bundled (offline; mobilenet_v2 and inception_v3), imagenet (Keras\'s ImageNet weights, downloaded once), none (random: every layer trains) or a .h5/.keras/model.json file',
    defaultText: 'bundled where the base has it, else imagenet',
  },
  'input-size': { type: 'string', value: 'N', description: 'square input side in pixels', defaultText: "the architecture's, e.g. 224" },
  pooling: { type: 'string', value: 'avg|max|flatten', description: 'how the last feature map becomes a vector', defaultText: 'avg' },
  head: {
    type: 'string',
    value: 'SPEC',
    description: 'dense layers before the classifier, e.g. 256,dropout=0.3 or 512,activation=gelu,256; a dropout=X before the first size drops out after pooling',
    defaultText: 'none, the classifier alone',
  },
  unfreeze: {
    type: 'string',
    value: 'B1,B2|all',
    description: 'also train these blocks of the base (graft model-summary ARCH lists them)',
    defaultText: 'none, the head alone trains on the frozen base',
  },
  'unfreeze-from': { type: 'string', value: 'BLOCK', description: 'train BLOCK and every block after it', defaultText: 'none' },
  epochs: {
    type: 'string',
    value: 'N',
    description: 'epochs (with unfrozen blocks: of the head-only first stage)',
    defaultText: String(TRAINING_DEFAULTS.epochs),
  },
  'fine-tune-epochs': { type: 'string', value: 'N', description: 'epochs of the second stage, the unfrozen blocks with the head', defaultText: 'as --epochs' },
  'fine-tune-lr-factor': {
    type: 'string',
    value: 'X',
    description: 'learning rate of the second stage = --lr × X',
    defaultText: String(TRAINING_DEFAULTS.lrFactor),
  },
  'one-stage': {
    type: 'boolean',
    description: 'train the unfrozen blocks and the head together from the start (otherwise two stages whenever blocks are unfrozen, as in the Keras transfer-learning guide)',
  },
  'batch-size': { type: 'string', value: 'N', description: 'images per step', defaultText: String(TRAINING_DEFAULTS.batchSize) },
  optimizer: { type: 'string', value: 'adam|sgd|rmsprop', description: 'the optimizer (sgd with momentum 0.9)', defaultText: 'adam' },
  lr: {
    type: 'string',
    value: 'X',
    description: 'learning rate',
    defaultText: `${TRAINING_DEFAULTS.learningRate.adam} for adam and rmsprop, ${TRAINING_DEFAULTS.learningRate.sgd} for sgd`,
  },
  schedule: {
    type: 'string',
    value: 'S',
    description:
      'constant, cosine[,warmup=EPOCHS,min=FRACTION], step[,every=N,factor=X] (step alone: every third of the epochs × 0.1) or one-cycle[,pct=X,div=X,final-div=X]',
    defaultText: 'constant',
  },
  augment: {
    type: 'string',
    value: 'LIST',
    description: 'random augmentation of training images: flip, vflip, rotate=DEGREES, zoom=FRACTION, brightness=FRACTION, contrast=FRACTION, hue=FRACTION',
    defaultText: 'none',
  },
  'augment-variants': {
    type: 'string',
    value: 'N|fresh',
    description: 'augmented copies per image kept in the activation cache, or fresh ones every epoch (the frozen part then runs every epoch)',
    defaultText: String(TRAINING_DEFAULTS.augmentVariants),
  },
  'class-weights': { type: 'string', value: 'none|balanced', description: 'balanced weighs classes by the inverse of their frequency', defaultText: 'none' },
  'label-smoothing': { type: 'string', value: 'X', description: 'label smoothing, 0 to 0.5', defaultText: '0' },
  'early-stop': {
    type: 'string',
    value: 'N',
    description: 'stop after N epochs without a lower validation loss, back to the best weights',
    defaultText: 'off',
  },
  'no-cache': { type: 'boolean', description: 'recompute the frozen layers every epoch instead of caching their output (benchmarks, debugging)' },
  runtime: {
    type: 'string',
    value: 'auto|onnx|tfjs',
    description: 'what runs the frozen layers: auto is ONNX Runtime where it loads, else TensorFlow.js',
    defaultText: 'auto',
  },
  seed: {
    type: 'string',
    value: 'N',
    description: 'seed of shuffling, augmentation, dropout and the head',
    defaultText: String(TRAINING_DEFAULTS.seed),
  },
  'start-from': {
    type: 'string',
    value: 'run:ID[:best|last]|model:ID',
    description:
      "continue from a trained model — a run's checkpoint (its best unless :last) or a model imported into the project — instead of the base's own weights; --base and --weights must be what it was trained with, its classes carry over by name",
    defaultText: "none, the base's weights",
  },
};

const OPTIMIZERS: readonly OptimizerName[] = ['adam', 'sgd', 'rmsprop'];

/** Builds the run's config from the command line; every value is checked by the contract's parsers. */
export function trainingConfigFrom(values: CliValues): TrainingConfig {
  const arch = parseBase(values);
  const weights = parseWeights(values, defaultWeights(arch));
  const epochs = option(values, 'epochs', positiveInt(10_000), 'whole') ?? TRAINING_DEFAULTS.epochs;
  const optimizerName = option(values, 'optimizer', oneOf(OPTIMIZERS)) ?? 'adam';
  const learningRate = numberOption(values, 'lr', (v, p) => optimizerSpec({ name: optimizerName, learningRate: v }, p).learningRate) ?? TRAINING_DEFAULTS.learningRate[optimizerName];
  const freeze = freezePlanFrom(values) ?? (weights === 'none' ? { kind: 'all' } : { kind: 'head-only' });
  const augment = augmentFrom(values);
  const config: TrainingConfig = {
    base: { arch, weights, inputSize: option(values, 'input-size', inputSize, 'whole') },
    head: headFrom(values),
    freeze,
    optimizer: { name: optimizerName, learningRate },
    schedule: scheduleFrom(values, epochs),
    epochs,
    batchSize: option(values, 'batch-size', positiveInt(4096), 'whole') ?? TRAINING_DEFAULTS.batchSize,
    twoStage: twoStageFrom(values, freeze, weights === 'none', epochs),
    earlyStopping: earlyStopFrom(values),
    classWeights: { kind: option(values, 'class-weights', oneOf(['none', 'balanced'] as const)) ?? 'none' },
    labelSmoothing: numberOption(values, 'label-smoothing', num({ min: 0, max: 0.5 })) ?? 0,
    augment,
    augmentMode: augmentModeFrom(values, augment),
    seed: option(values, 'seed', int({ min: 0, max: 2 ** 32 - 1 }), 'whole') ?? TRAINING_DEFAULTS.seed,
    useCache: values['no-cache'] !== true,
    runtime: option(values, 'runtime', runtimeChoice) ?? 'auto',
  };
  const startFrom = startFromOption(values);
  if (startFrom) config.startFrom = startFrom;
  if (config.base.inputSize === undefined) delete config.base.inputSize;
  // The dispatcher checks again; checking here refuses a slip before any engine starts.
  try {
    return trainingConfig(config, 'config');
  } catch (error) {
    if (error instanceof ParseError) throw new GraftError('bad-request', `These training settings do not fit together: ${error.message}`);
    throw error;
  }
}

/** Names of the training options that were given (to refuse them where they do not apply). */
export function givenTrainingOptions(values: CliValues): string[] {
  return Object.keys(TRAINING_OPTIONS).filter((name) => values[name] !== undefined);
}

function startFromOption(values: CliValues): StartFrom | null {
  const text = textOption(values, 'start-from');
  if (text === undefined) return null;
  const run = /^run:(\d+)(?::(best|last))?$/.exec(text);
  if (run) return { kind: 'run', runId: Number(run[1]), checkpoint: (run[2] as 'best' | 'last' | undefined) ?? 'best' };
  const model = /^model:(\d+)$/.exec(text);
  if (model) return { kind: 'model', modelId: Number(model[1]) };
  throw new GraftError('bad-request', `--start-from takes run:ID (or run:ID:last) or model:ID, not "${text}". graft runs lists the runs.`);
}

function freezePlanFrom(values: CliValues): FreezePlan | null {
  const blocks = textOption(values, 'unfreeze');
  const from = textOption(values, 'unfreeze-from');
  if (blocks !== undefined && from !== undefined) {
    throw new GraftError('bad-request', 'Use either --unfreeze (named blocks) or --unfreeze-from (a block and all after it), not both.');
  }
  if (from !== undefined) return { kind: 'from', block: from };
  if (blocks === undefined) return null;
  const names = splitTerms('unfreeze', blocks).map((term) => {
    bareTerm('unfreeze', term);
    return term.key;
  });
  if (names.includes('all')) {
    if (names.length > 1) throw new GraftError('bad-request', '--unfreeze all already trains every block; drop the other names.');
    return { kind: 'all' };
  }
  return { kind: 'blocks', blocks: names };
}

function twoStageFrom(values: CliValues, freeze: FreezePlan, fromScratch: boolean, epochs: number): TwoStageSpec | null {
  const fineTuneEpochs = option(values, 'fine-tune-epochs', positiveInt(10_000), 'whole');
  const lrFactor = numberOption(values, 'fine-tune-lr-factor', num({ min: 1e-6, max: 1 }));
  const stageOptions = fineTuneEpochs !== undefined || lrFactor !== undefined;
  if (freeze.kind === 'head-only') {
    if (stageOptions || values['one-stage'] === true) {
      throw new GraftError('bad-request', '--fine-tune-epochs, --fine-tune-lr-factor and --one-stage apply when blocks are unfrozen (--unfreeze or --unfreeze-from).');
    }
    return null;
  }
  if (values['one-stage'] === true) {
    if (stageOptions) throw new GraftError('bad-request', '--one-stage has no fine-tune stage: drop --fine-tune-epochs and --fine-tune-lr-factor.');
    return null;
  }
  // Random weights have no features worth a head-only warm-up: one stage unless asked.
  if (fromScratch && !stageOptions) return null;
  return { fineTuneEpochs: fineTuneEpochs ?? epochs, lrFactor: lrFactor ?? TRAINING_DEFAULTS.lrFactor };
}

const HEAD_ACTIVATIONS = ['relu', 'gelu', 'swish', 'tanh', 'sigmoid', 'linear'] as const;

function headFrom(values: CliValues): HeadSpec {
  const pooling = option(values, 'pooling', (v, p) => headSpec({ pooling: v, layers: [] }, p).pooling) ?? 'avg';
  const head: HeadSpec = { pooling, layers: [] };
  const text = textOption(values, 'head');
  if (text === undefined || text === 'none') return head;
  let layer: HeadLayerSpec | null = null;
  for (const term of splitTerms('head', text)) {
    if (/^\d+$/.test(term.key) && term.value === null) {
      layer = { units: Number(term.key) };
      head.layers.push(layer);
    } else if (term.key === 'dropout') {
      if (layer) layer.dropout = termNumber('head', term);
      else head.dropout = termNumber('head', term);
    } else if (term.key === 'activation' || (HEAD_ACTIVATIONS as readonly string[]).includes(term.key)) {
      if (!layer) throw new GraftError('bad-request', `--head: an activation follows a layer size, e.g. 256,activation=gelu; got "${text}".`);
      layer.activation = (term.value ?? term.key) as HeadLayerSpec['activation'];
    } else {
      throw new GraftError('bad-request', `--head: "${term.key}" is not a layer size, dropout=X or activation=NAME.`);
    }
  }
  return checkTerms('head', headSpec, head, { units: 'a layer size', dropout: 'dropout', activation: 'activation' });
}

/** `--augment` terms and the AugmentSpec fields they set. */
const AUGMENT_TERMS: Readonly<Record<string, keyof AugmentSpec>> = {
  rotate: 'rotationDegrees',
  zoom: 'zoom',
  brightness: 'brightness',
  contrast: 'contrast',
  hue: 'hue',
};

function augmentFrom(values: CliValues): AugmentSpec | null {
  const text = textOption(values, 'augment');
  if (text === undefined || text === 'none') return null;
  const spec: Record<string, number | boolean> = {};
  for (const term of splitTerms('augment', text)) {
    if (term.key === 'flip' || term.key === 'vflip') {
      bareTerm('augment', term);
      spec[term.key === 'flip' ? 'horizontalFlip' : 'verticalFlip'] = true;
    } else if (Object.hasOwn(AUGMENT_TERMS, term.key)) {
      spec[AUGMENT_TERMS[term.key]!] = termNumber('augment', term);
    } else {
      throw new GraftError('bad-request', `--augment: unknown "${term.key}". Use flip, vflip, ${Object.keys(AUGMENT_TERMS).map((t) => `${t}=X`).join(', ')}.`);
    }
  }
  return checkTerms('augment', augmentSpec, spec, Object.fromEntries(Object.entries(AUGMENT_TERMS).map(([term, field]) => [field, term])));
}

function augmentModeFrom(values: CliValues, augment: AugmentSpec | null): AugmentMode {
  const raw = textOption(values, 'augment-variants');
  if (raw === undefined) return { kind: 'cached', variants: augment ? TRAINING_DEFAULTS.augmentVariants : 1 };
  if (!augment) throw new GraftError('bad-request', '--augment-variants goes with --augment (without augmentation every image has one variant).');
  if (raw === 'fresh') return { kind: 'fresh' };
  return { kind: 'cached', variants: option({ 'augment-variants': raw }, 'augment-variants', positiveInt(64), 'whole')! };
}

/** `--schedule` terms and the fields they set, per schedule. */
const SCHEDULE_TERMS: Readonly<Record<LrScheduleSpec['kind'], Readonly<Record<string, string>>>> = {
  constant: {},
  cosine: { warmup: 'warmupEpochs', min: 'minLrFraction' },
  step: { every: 'everyEpochs', factor: 'factor' },
  'one-cycle': { pct: 'pctStart', div: 'divFactor', 'final-div': 'finalDivFactor' },
};

function scheduleFrom(values: CliValues, epochs: number): LrScheduleSpec {
  const text = textOption(values, 'schedule');
  if (text === undefined) return { kind: 'constant' };
  const [first, ...rest] = splitTerms('schedule', text);
  const kind = option({ schedule: first!.key }, 'schedule', oneOf(Object.keys(SCHEDULE_TERMS) as LrScheduleSpec['kind'][]))!;
  bareTerm('schedule', first!);
  const terms = SCHEDULE_TERMS[kind];
  const spec: Record<string, unknown> = kind === 'step' ? { kind, everyEpochs: Math.max(1, Math.round(epochs / 3)), factor: 0.1 } : { kind };
  for (const term of rest) {
    const field = terms[term.key];
    if (!field) {
      const known = Object.keys(terms);
      throw new GraftError('bad-request', `--schedule: ${kind} takes ${known.length ? known.map((t) => `${t}=X`).join(', ') : 'no settings'}; got "${term.key}".`);
    }
    spec[field] = termNumber('schedule', term);
  }
  return checkTerms('schedule', lrSchedule, spec, Object.fromEntries(Object.entries(terms).map(([term, field]) => [field, term])));
}

function earlyStopFrom(values: CliValues): TrainingConfig['earlyStopping'] {
  const patience = option(values, 'early-stop', int({ min: 1, max: 1000 }), 'whole');
  return patience === undefined ? null : { monitor: 'valLoss', patience, restoreBestWeights: true };
}
