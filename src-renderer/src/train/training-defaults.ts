/** The settings a newcomer trains with when the project has no last run. */
import type { FreezePlan, TrainingConfig, TwoStageSpec } from '../../../src-main/api/types/runs';
import type { AugmentSpec, EarlyStoppingSpec, LrScheduleSpec } from '../../../src-main/api/types/training';

/** Augmentation switched on from nothing: mild changes that keep a photo's class. */
export const DEFAULT_AUGMENT: AugmentSpec = { horizontalFlip: true, rotationDegrees: 10, zoom: 0.1, brightness: 0.1, contrast: 0.1 };

/** Augmented variants cached per image when augmentation is on. */
export const DEFAULT_VARIANTS = 4;

/** Early stopping switched on from nothing: Keras's usual choice. */
export const DEFAULT_EARLY_STOPPING: EarlyStoppingSpec = { monitor: 'valLoss', patience: 3, restoreBestWeights: true };

/** The two-stage recipe for `epochs` head epochs: as many fine-tune epochs at a tenth of the rate. */
export function defaultTwoStage(epochs: number): TwoStageSpec {
  return { fineTuneEpochs: epochs, lrFactor: 0.1 };
}

/** Each schedule with its fields filled in, for when the user switches to it. */
export function defaultSchedule(kind: LrScheduleSpec['kind']): LrScheduleSpec {
  switch (kind) {
    case 'constant':
      return { kind };
    case 'cosine':
      return { kind, warmupEpochs: 0, minLrFraction: 0 };
    case 'step':
      return { kind, everyEpochs: 5, factor: 0.1 };
    case 'one-cycle':
      return { kind, pctStart: 0.25, divFactor: 25, finalDivFactor: 1e4 };
  }
}

/** True when the plan trains part of the base (then the two-stage recipe applies). */
export function unfreezesBase(plan: FreezePlan): boolean {
  return plan.kind !== 'head-only';
}

/**
 * The defaults: the bundled MobileNetV2 at 224 (works offline), average pooling into the
 * classifier, the base frozen, Adam at 1e-3, 10 epochs of 32, seed 42, cache on.
 */
export function defaultTrainingConfig(): TrainingConfig {
  return {
    base: { arch: 'mobilenet_v2', weights: 'bundled', inputSize: 224 },
    head: { pooling: 'avg', dropout: 0, layers: [], output: 'softmax' },
    freeze: { kind: 'head-only' },
    optimizer: { name: 'adam', learningRate: 1e-3 },
    schedule: { kind: 'constant' },
    epochs: 10,
    batchSize: 32,
    twoStage: null,
    earlyStopping: null,
    classWeights: { kind: 'none' },
    labelSmoothing: 0,
    augment: null,
    augmentMode: { kind: 'cached', variants: DEFAULT_VARIANTS },
    seed: 42,
    useCache: true,
    runtime: 'auto',
  };
}
