import type { LayersModel, Optimizer, Scalar, Tensor, Tensor1D, Variable } from '@tensorflow/tfjs';
import { GraftError } from '../../api/errors';
import type { RunStage } from '../../api/types/runs';
import type { BatchRecord, EarlyStoppingSpec, EpochRecord, LrScheduleSpec } from '../../api/types/training';
import type { Tf } from '../backend';
import { earlyStoppingStep, initialEarlyStopping, monitorDirection, type EarlyStoppingState } from './early-stopping';
import { binaryCrossEntropyPerSample, categoricalCrossEntropyPerSample, reduceWeighted } from './loss';
import { learningRateAt } from './lr-schedule';
import { setLearningRate } from './optimizers';
import { createRng, deriveSeed } from './rng';

/** One training example: an image (by content hash), how many augmented variants it has, its class. */
export interface FitExample {
  key: string;
  /** Cached variants to pick from each epoch (1: the image itself only). */
  variants: number;
  label: number;
}

/** Where the loop reads inputs: the cut's activations of (image, variant) rows, one array per suffix input. */
export interface FitData {
  train: readonly FitExample[];
  validation: readonly FitExample[];
  read(rows: readonly { key: string; variant: number }[]): Promise<Float32Array[]>;
}

/** The state of the loop that survives a checkpoint, so a resumed run continues exactly. */
export interface LoopState {
  /** Global epochs finished. */
  epoch: number;
  step: number;
  early: EarlyStoppingState;
  /** Best monitored value for the "best" checkpoint, and its epoch. */
  best: { value: number; epoch: number; valAcc: number | null; valLoss: number | null } | null;
}

/** Settings of one stage of a run. */
export interface FitOptions {
  stage: RunStage;
  /** Global index of this stage's first epoch, and the run's total. */
  firstEpoch: number;
  epochs: number;
  totalEpochs: number;
  batchSize: number;
  seed: number;
  baseLr: number;
  schedule: LrScheduleSpec;
  labelSmoothing: number;
  /** Weight of each class (1 each for none). */
  classWeights: readonly number[];
  classes: number;
  earlyStopping: EarlyStoppingSpec | null;
  /** Whether the loss reads logits (the suffix is called through `asLogits`) or probabilities. */
  fromLogits: boolean;
  /** Calls the suffix with its final activation off, so the loss sees logits. */
  asLogits?: <T>(fn: () => T) => T;
  output: 'softmax' | 'sigmoid';
  state?: LoopState;
  /** At most this many batch events a second (the last batch of an epoch always goes out). */
  batchEventsPerSecond?: number;
  /** What computes the steps; default: tfjs on the suffix (`tfjsStepper`). */
  stepper?: SuffixStepper;
}

/** What trains the suffix one batch at a time, with the loop's optimizer: tfjs, or ONNX Runtime. */
export interface SuffixStepper {
  /** Where the forward and backward passes run. */
  runtime: 'onnx' | 'tfjs';
  /** One optimisation step on a batch (`step`: the run's step number); the loss and hits measured before the update. */
  train(inputs: Float32Array[], labels: number[], step: number): Promise<{ loss: number; hits: number }>;
  /** The summed (unsmoothed) loss and the hits on a batch, in inference mode. */
  score(inputs: Float32Array[], labels: number[]): Promise<{ lossSum: number; hits: number }>;
  /** The logits of a batch of n rows in inference mode ([n, units]; the suffix must end in logits, `fromLogits`). */
  logits(inputs: Float32Array[], n: number): Promise<Float32Array>;
  /**
   * Writes what the stepper keeps itself (weights and optimizer state it updated outside tfjs)
   * into the tfjs model and optimizer. The loop calls it before each epoch's hook (checkpoints
   * read the model), so the model is current when a stage ends; steppers that update tfjs
   * directly have none.
   */
  sync?(): void;
}

/** The tfjs stepper: `trainStep` and an inference-mode pass of the suffix itself. */
export function tfjsStepper(tf: Tf, suffix: LayersModel, optimizer: Optimizer, options: StepOptions): SuffixStepper {
  return {
    runtime: 'tfjs',
    train: (inputs, labels) => Promise.resolve(trainStep(tf, suffix, optimizer, inputs, labels, options)),
    score: (inputs, labels) => {
      const [sum, hits] = tf.tidy(() => {
        const xs = batchTensors(tf, suffix, inputs, labels.length);
        const { perSample, hits } = scoreBatch(tf, suffix, xs, tf.tensor1d(labels, 'int32'), false, options);
        return tf.stack([tf.sum(perSample), hits.cast('float32')]).dataSync();
      });
      return Promise.resolve({ lossSum: sum!, hits: hits! });
    },
    logits: (inputs, n) =>
      Promise.resolve(
        tf.tidy(() => {
          const xs = batchTensors(tf, suffix, inputs, n);
          const call = () => suffix.apply(xs.length === 1 ? xs[0]! : xs, { training: false }) as Tensor;
          return (options.asLogits ? options.asLogits(call) : call()).dataSync() as Float32Array;
        }),
      ),
  };
}

/** What the loop reports and when it yields. */
export interface FitHooks {
  checkpoint(): Promise<void>;
  onBatch(record: BatchRecord, batches: number, imagesPerSecond: number, etaSeconds: number | null): void;
  /** After each epoch: `best` when the monitored value improved. May write checkpoints. */
  onEpoch(record: EpochRecord, best: boolean, state: LoopState): Promise<void>;
}

/** How a stage ended. */
export interface FitOutcome {
  history: EpochRecord[];
  state: LoopState;
  stoppedEarly: boolean;
}

/** Picks the monitored value of an epoch for the best checkpoint: the early-stopping monitor, else validation loss. */
function monitored(record: EpochRecord, spec: EarlyStoppingSpec | null): { value: number; direction: 'min' | 'max' } {
  const monitor = spec?.monitor ?? (record.valLoss === null ? 'loss' : 'valLoss');
  const value = record[monitor] ?? record.loss;
  return { value, direction: monitorDirection({ monitor, mode: spec?.mode }) };
}

/**
 * Trains the trainable suffix of a model on the cut's activations: seeded shuffles, the
 * learning-rate schedule per step, class weights and label smoothing in the loss, a
 * validation pass each epoch, early stopping, and a NaN guard. Every tensor it makes is freed
 * by the end of each epoch.
 */
export async function fitSuffix(tf: Tf, suffix: LayersModel, optimizer: Optimizer, data: FitData, options: FitOptions, hooks: FitHooks): Promise<FitOutcome> {
  if (data.train.length === 0) throw new GraftError('bad-request', 'There is no training image to learn from.');
  const stepper = options.stepper ?? tfjsStepper(tf, suffix, optimizer, options);
  const state: LoopState = options.state ?? { epoch: options.firstEpoch, step: 0, early: initialEarlyStopping(), best: null };
  const history: EpochRecord[] = [];
  const batches = Math.ceil(data.train.length / options.batchSize);
  const stageSteps = batches * options.epochs;
  const minGap = 1000 / (options.batchEventsPerSecond ?? 10);
  const end = options.firstEpoch + options.epochs;
  let stoppedEarly = false;
  while (state.epoch < end) {
    const epoch = state.epoch;
    const started = performance.now();
    const order = createRng(deriveSeed(options.seed, 'shuffle', epoch)).shuffle([...data.train.keys()]);
    const pick = createRng(deriveSeed(options.seed, 'variant', epoch));
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    let lastEvent = -Infinity;
    let lr = options.baseLr;
    // Reads of the next batch overlap the current step.
    const rowsOf = (b: number) =>
      order.slice(b * options.batchSize, (b + 1) * options.batchSize).map((i) => {
        const example = data.train[i]!;
        return { example, variant: example.variants > 1 ? pick.int(example.variants) : 0 };
      });
    let nextRows = rowsOf(0);
    // A read still in flight when a step fails is never awaited: mark it handled so its failure
    // (the run's cleanup may remove what it reads) is not an unhandled rejection. Awaiting it still throws.
    const readAhead = (rows: typeof nextRows) => {
      const read = data.read(rows.map((r) => ({ key: r.example.key, variant: r.variant })));
      read.catch(() => undefined);
      return read;
    };
    let nextRead = readAhead(nextRows);
    for (let b = 0; b < batches; b++) {
      await hooks.checkpoint();
      const rows = nextRows;
      const inputs = await nextRead;
      if (b + 1 < batches) {
        nextRows = rowsOf(b + 1);
        nextRead = readAhead(nextRows);
      }
      const stageStep = (epoch - options.firstEpoch) * batches + b;
      lr = learningRateAt(options.baseLr, options.schedule, { step: stageStep, totalSteps: stageSteps, stepsPerEpoch: batches });
      setLearningRate(optimizer, lr);
      const labels = rows.map((r) => r.example.label);
      const { loss, hits } = await stepper.train(inputs, labels, state.step);
      if (!Number.isFinite(loss)) {
        throw new GraftError(
          'bad-request',
          `The training loss became ${loss} at epoch ${epoch + 1}, batch ${b + 1} (learning rate ${lr.toPrecision(3)}). Lower the learning rate (try ${(options.baseLr / 10).toPrecision(2)}) and train again.`,
          { reason: 'nan-loss' },
        );
      }
      lossSum += loss * rows.length;
      correct += hits;
      seen += rows.length;
      const record: BatchRecord = { epoch, batch: b, step: state.step, loss, acc: hits / rows.length, lr };
      state.step += 1;
      const now = performance.now();
      if (now - lastEvent >= minGap || b === batches - 1) {
        lastEvent = now;
        const seconds = (now - started) / 1000;
        const perSecond = seen / Math.max(seconds, 1e-3);
        const left = (end - epoch - 1) * data.train.length + (data.train.length - seen);
        hooks.onBatch(record, batches, perSecond, perSecond > 0 ? left / perSecond : null);
      }
    }
    const validation = data.validation.length > 0 ? await evaluateSuffix(stepper, data, options, hooks) : null;
    const record: EpochRecord = {
      epoch,
      loss: lossSum / seen,
      acc: correct / seen,
      valLoss: validation?.loss ?? null,
      valAcc: validation?.acc ?? null,
      lr,
      seconds: (performance.now() - started) / 1000,
    };
    history.push(record);
    const { value, direction } = monitored(record, options.earlyStopping);
    const improved = state.best === null || (direction === 'min' ? value < state.best.value : value > state.best.value);
    if (improved) state.best = { value, epoch, valAcc: record.valAcc, valLoss: record.valLoss };
    let stop = false;
    if (options.earlyStopping) {
      const decision = earlyStoppingStep(options.earlyStopping, state.early, epoch, record);
      state.early = decision.state;
      stop = decision.stop;
    }
    state.epoch += 1;
    stepper.sync?.();
    await hooks.onEpoch(record, improved, { ...state, early: { ...state.early } });
    if (stop) {
      stoppedEarly = true;
      break;
    }
  }
  return { history, state, stoppedEarly };
}

/** How a step or a validation pass computes its loss from the suffix's output. */
export type StepOptions = Pick<FitOptions, 'classWeights' | 'output' | 'fromLogits' | 'asLogits' | 'labelSmoothing'>;

/**
 * One optimisation step of the suffix on a batch: `inputs` holds one array per suffix input
 * (several when a residual skip or an Inception branch crosses the cut), `labels` class indices.
 * The loss is categorical cross-entropy, or binary for one sigmoid unit, with label smoothing
 * and class weights as per-sample weights. Returns the batch's loss and how many it got right,
 * both measured before the update; leaves no tensor behind.
 */
export function trainStep(tf: Tf, suffix: LayersModel, optimizer: Optimizer, inputs: Float32Array[], labels: number[], options: StepOptions): { loss: number; hits: number } {
  const kept: { hits?: Tensor } = {};
  const lossTensor = tf.tidy(() => {
    const xs = batchTensors(tf, suffix, inputs, labels.length);
    const y = tf.tensor1d(labels, 'int32');
    const weights = tf.tensor1d(labels.map((label) => options.classWeights[label] ?? 1), 'float32');
    return optimizer.minimize(
      () => {
        const { perSample, hits } = scoreBatch(tf, suffix, xs, y, true, options);
        kept.hits = tf.keep(hits);
        return reduceWeighted(tf, perSample, weights);
      },
      true,
      // The suffix's own trainable variables, in its order: tfjs optimizers keep their slots by
      // position, so a resumed run must list the variables exactly as the run that saved them.
      suffix.trainableWeights.map((w) => w.read() as Variable),
    ) as Scalar;
  });
  const [loss, hits] = readBoth(tf, lossTensor, kept.hits!);
  return { loss, hits };
}

/** The suffix's inputs for a batch of n rows: one tensor per input, from its flat array. */
function batchTensors(tf: Tf, suffix: LayersModel, inputs: Float32Array[], n: number): Tensor[] {
  return inputs.map((values, i) => tf.tensor(values, [n, ...(suffix.inputs[i]!.shape.slice(1) as number[])], 'float32'));
}

/**
 * Calls the suffix (through `asLogits` when the loss reads logits) and scores its output: the
 * unweighted loss of each sample (not smoothed when `training` is false) and how many it got right.
 */
function scoreBatch(tf: Tf, suffix: LayersModel, xs: Tensor[], y: Tensor1D, training: boolean, options: StepOptions): { perSample: Tensor1D; hits: Tensor } {
  const n = y.shape[0];
  const call = () => suffix.apply(xs.length === 1 ? xs[0]! : xs, { training }) as Tensor;
  const output = options.fromLogits && options.asLogits ? options.asLogits(call) : call();
  const lossOptions = { fromLogits: options.fromLogits, labelSmoothing: training ? options.labelSmoothing : undefined };
  const sigmoid = options.output === 'sigmoid';
  const perSample = sigmoid ? binaryCrossEntropyPerSample(tf, output, y, lossOptions) : categoricalCrossEntropyPerSample(tf, output, y, lossOptions);
  const predicted = sigmoid ? tf.greater(output.reshape([n]), options.fromLogits ? 0 : 0.5).cast('int32') : tf.argMax(output, 1);
  return { perSample, hits: tf.sum(tf.equal(predicted, y).cast('int32')) };
}

/** Reads two scalars in one read (each read waits for the backend) and frees them. */
function readBoth(tf: Tf, a: Tensor, b: Tensor): [number, number] {
  const both = tf.tidy(() => tf.stack([a.cast('float32'), b.cast('float32')]));
  const [x, y] = both.dataSync();
  tf.dispose([both, a, b]);
  return [x!, y!];
}

/** Loss and accuracy of the suffix on the validation examples (variant 0, inference mode). */
async function evaluateSuffix(stepper: SuffixStepper, data: FitData, options: FitOptions, hooks: FitHooks): Promise<{ loss: number; acc: number }> {
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < data.validation.length; start += options.batchSize) {
    await hooks.checkpoint();
    const rows = data.validation.slice(start, start + options.batchSize);
    const inputs = await data.read(rows.map((r) => ({ key: r.key, variant: 0 })));
    const scored = await stepper.score(inputs, rows.map((r) => r.label));
    lossSum += scored.lossSum;
    correct += scored.hits;
  }
  return { loss: lossSum / data.validation.length, acc: correct / data.validation.length };
}
