/**
 * Plain-data types of training: optimizer, learning-rate schedule, class weights, early
 * stopping, augmentation, the LR range test, metric history and evaluation reports. Types
 * only; the engine, the protocol, the CLI and the renderer import them.
 */

/** Optimizers a run can use (Keras names). */
export type OptimizerName = 'adam' | 'sgd' | 'rmsprop';

/**
 * An optimizer as plain data. Unset fields take Keras's defaults, except SGD's momentum,
 * which defaults to 0.9 because "SGD" in the wizard means SGD with momentum.
 */
export interface OptimizerSpec {
  name: OptimizerName;
  learningRate: number;
  /** SGD and RMSprop: momentum (SGD default 0.9, RMSprop default 0). */
  momentum?: number;
  /** SGD only: Nesterov momentum (default false). */
  nesterov?: boolean;
  /** Adam: first-moment decay (default 0.9). */
  beta1?: number;
  /** Adam: second-moment decay (default 0.999). */
  beta2?: number;
  /** RMSprop: decay of the squared-gradient average (Keras `rho`, default 0.9). */
  rho?: number;
  /** Adam and RMSprop: numerical floor (default 1e-7, Keras's). */
  epsilon?: number;
}

/**
 * How the learning rate moves over a run (per optimisation step). The base rate is the
 * optimizer's `learningRate`; for one-cycle it is the peak.
 */
export type LrScheduleSpec =
  | { kind: 'constant' }
  /** Optional linear warm-up, then cosine decay that reaches `minLrFraction` × base at the end of the run. */
  | { kind: 'cosine'; warmupEpochs?: number; minLrFraction?: number }
  /** Multiply by `factor` every `everyEpochs` epochs (Keras/PyTorch step decay). */
  | { kind: 'step'; everyEpochs: number; factor: number }
  /** fastai's one-cycle: cosine from base/divFactor up to base over `pctStart` of the run, then cosine down to base/finalDivFactor. */
  | { kind: 'one-cycle'; pctStart?: number; divFactor?: number; finalDivFactor?: number };

/** Loss weighting per class: none, sklearn's "balanced", or a weight per class name (missing names weigh 1). */
export type ClassWeightSpec = { kind: 'none' } | { kind: 'balanced' } | { kind: 'manual'; weights: Record<string, number> };

/** Epoch-level quantities early stopping can watch (fields of `EpochRecord`). */
export type MonitorName = 'valLoss' | 'valAcc' | 'loss' | 'acc';

/** Keras `EarlyStopping` settings; `mode: 'auto'` minimises losses and maximises accuracies. */
export interface EarlyStoppingSpec {
  monitor: MonitorName;
  mode?: 'auto' | 'min' | 'max';
  /** Epochs without improvement before stopping (default 0, as in Keras). */
  patience?: number;
  /** Smallest change that counts as an improvement (absolute, default 0). */
  minDelta?: number;
  /** At the end of training, go back to the weights of the best epoch (default false, as in Keras). */
  restoreBestWeights?: boolean;
  /** Patience is only reset by values that also beat this (Keras `baseline`). */
  baseline?: number;
  /** Epochs (from 0) ignored before monitoring starts (Keras `start_from_epoch`, default 0). */
  startFromEpoch?: number;
}

/**
 * Random augmentation of training images, applied in this order: flips, then rotation and
 * zoom as one bilinear resample, then brightness and contrast, then hue. Zero or false
 * disables an operation.
 */
export interface AugmentSpec {
  horizontalFlip?: boolean;
  verticalFlip?: boolean;
  /** Largest rotation in degrees, either way (e.g. 10 → uniform in −10…10). */
  rotationDegrees?: number;
  /** Largest zoom-in as a fraction of the side: a crop of 1−zoom…1 of the side at a random place, resized back. */
  zoom?: number;
  /** Largest brightness shift as a fraction of the 0–255 range, either way (Keras `RandomBrightness`). */
  brightness?: number;
  /** Largest contrast change: factor uniform in 1−c…1+c around each channel's mean (Keras `RandomContrast`). */
  contrast?: number;
  /** Largest hue rotation as a fraction of the colour circle, either way (0…0.5). */
  hue?: number;
  /** What rotation shows outside the image: mirrored content (Keras's default) or a constant. */
  fillMode?: 'reflect' | 'constant';
  /** Pixel value (0–255) for `fillMode: 'constant'` (default 0). */
  fillValue?: number;
}

/** Settings of the LR range test (fastai `lr_find` defaults in brackets). */
export interface LrFinderSpec {
  /** First learning rate [1e-7]. */
  minLr?: number;
  /** Last learning rate [10]. */
  maxLr?: number;
  /** Steps from the first to the last rate [100]. */
  steps?: number;
  /** Smoothing of the loss (exponential moving average factor) [0.98]. */
  beta?: number;
  /** Stop once the smoothed loss exceeds this many times its best [4]. */
  divergeFactor?: number;
}

/** Learning rates suggested from an LR range test; null when the curve was too short to judge. */
export interface LrSuggestion {
  /** Rate where the smoothed loss falls fastest against log(lr). */
  steep: number | null;
  /** Rate inside the longest descending stretch of the curve (fastai's default, `valley`). */
  valley: number | null;
  /** The rate of the lowest smoothed loss divided by 10. */
  minimumOver10: number | null;
}

/** One point of an LR range test. */
export interface LrFinderPoint {
  lr: number;
  loss: number;
  smoothedLoss: number;
}

/** Metrics of one finished epoch. Validation fields are null when the epoch had no validation pass. */
export interface EpochRecord {
  /** Epoch index from 0. */
  epoch: number;
  loss: number;
  acc: number;
  valLoss: number | null;
  valAcc: number | null;
  /** Learning rate of the epoch's last step. */
  lr: number;
  seconds: number;
}

/** Metrics of one training batch. */
export interface BatchRecord {
  epoch: number;
  /** Batch index within the epoch, from 0. */
  batch: number;
  /** Optimisation step over the whole run, from 0. */
  step: number;
  loss: number;
  acc: number;
  lr: number;
}

/** Per-class precision, recall, F1 and support, in class order. */
export interface PerClassMetrics {
  precision: number[];
  recall: number[];
  f1: number[];
  /** Number of true instances of each class. */
  support: number[];
}

/** A classification report over one split (sklearn's `classification_report` as data). */
export interface ClassificationReport extends PerClassMetrics {
  accuracy: number;
  /** Rows are true classes, columns predicted classes (sklearn's convention). */
  confusion: number[][];
  macro: { precision: number; recall: number; f1: number };
  /** Averages weighted by support. */
  weighted: { precision: number; recall: number; f1: number };
}
