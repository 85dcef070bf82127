/**
 * Plain-data types of a training run: what it trains (config), on what (dataset snapshot),
 * what it reports while it runs (events), and what it leaves (result, evaluation). Types
 * only; the engine, the main side, the CLI and the renderer import them.
 */
import type { InferenceWeights } from './inference';
import type { ArchName } from './models';
import type {
  AugmentSpec,
  BatchRecord,
  ClassificationReport,
  ClassWeightSpec,
  EarlyStoppingSpec,
  EpochRecord,
  LrFinderPoint,
  LrFinderSpec,
  LrScheduleSpec,
  LrSuggestion,
  OptimizerSpec,
} from './training';
import type { SplitName } from './library';

/** How the trunk's last feature map becomes a vector: global pooling, or Keras's Flatten. */
export type HeadPooling = 'avg' | 'max' | 'flatten';

/** One dense layer of a head, before the classifier. */
export interface HeadLayerSpec {
  units: number;
  /** Keras activation name (default relu). */
  activation?: 'relu' | 'gelu' | 'swish' | 'tanh' | 'sigmoid' | 'linear';
  /** Dropout after the layer (0 = none). */
  dropout?: number;
}

/** The head grafted onto the base: pooling, dense layers, and the classifier over the project's classes. */
export interface HeadSpec {
  pooling: HeadPooling;
  /** Dropout right after pooling (0 = none). */
  dropout?: number;
  layers: HeadLayerSpec[];
  /** softmax over the classes (default), or one sigmoid unit for exactly two classes. */
  output?: 'softmax' | 'sigmoid';
}

/**
 * Which parts of the base train. `head-only` freezes the whole base; `blocks` unfreezes the
 * named blocks (and keeps the rest frozen); `from` unfreezes the named block and every block
 * after it (fastai's `freeze_to`); `layers` unfreezes single layers by name; `all` trains
 * everything (from scratch with weights `none`).
 */
export type FreezePlan =
  | { kind: 'head-only' }
  | { kind: 'blocks'; blocks: string[] }
  | { kind: 'from'; block: string }
  | { kind: 'layers'; layers: string[] }
  | { kind: 'all' };

/** The base model of a run: architecture, weights and input. */
export interface BaseSpec {
  arch: ArchName;
  weights: InferenceWeights;
  /** Square input side; the architecture's default when absent. */
  inputSize?: number;
}

/**
 * The Keras transfer-learning recipe: first the head alone on the frozen base, then the
 * unfrozen blocks with the learning rate × `lrFactor`.
 */
export interface TwoStageSpec {
  /** Epochs of the second (fine-tuning) stage; the first stage uses the run's `epochs`. */
  fineTuneEpochs: number;
  /** Learning-rate factor of the second stage (default 0.1). */
  lrFactor?: number;
}

/** How augmented images reach training: a fixed number of cached variants per image, or fresh ones each epoch. */
export type AugmentMode = { kind: 'cached'; variants: number } | { kind: 'fresh' };

/** Which runtime runs the frozen part: ONNX Runtime where it loads (auto), or forced. */
export type RuntimeChoice = 'auto' | 'onnx' | 'tfjs';

/** Everything a run trains with; stored with the run, so it can be repeated and compared. */
export interface TrainingConfig {
  base: BaseSpec;
  head: HeadSpec;
  freeze: FreezePlan;
  optimizer: OptimizerSpec;
  schedule: LrScheduleSpec;
  epochs: number;
  batchSize: number;
  /** Null: one stage. Default when the plan unfreezes base blocks. */
  twoStage: TwoStageSpec | null;
  earlyStopping: EarlyStoppingSpec | null;
  classWeights: ClassWeightSpec;
  /** Keras label smoothing ε (0 = none). */
  labelSmoothing: number;
  augment: AugmentSpec | null;
  augmentMode: AugmentMode;
  seed: number;
  /** False: recompute the frozen part every epoch (benchmarks, debugging). */
  useCache: boolean;
  runtime: RuntimeChoice;
  /** Continue from a trained model instead of the base's own weights (absent or null: the base's weights). */
  startFrom?: StartFrom | null;
}

/**
 * A trained model a new run starts from: a run's checkpoint, or a model imported into the
 * project. Its layers' weights replace the base's and the head's where names and shapes
 * match; its classifier carries over class by class (by name), new classes start afresh.
 */
export type StartFrom = { kind: 'run'; runId: number; checkpoint: 'best' | 'last' } | { kind: 'model'; modelId: number };

/** One image of a run's dataset snapshot: content hash, path, class index, split. */
export interface RunImage {
  imageId: number;
  contentHash: string;
  path: string;
  /** Index into the run's class list. */
  label: number;
  split: SplitName;
}

/** What a run trained on, frozen at its start: a later relabel never rewrites it. */
export interface DatasetSnapshot {
  classes: string[];
  /** The project's ids of `classes` when the snapshot was read: a run records them so its classes follow renames (the engine ignores them). */
  classIds?: number[];
  images: RunImage[];
}

/** A stage of a run: the head alone, or the fine-tune of unfrozen blocks. */
export type RunStage = 'head' | 'fine-tune';

/** What a training run reports while it runs (engine → main side → every window). */
export type TrainEvent =
  | {
      type: 'phase';
      phase: 'building' | 'caching' | 'training' | 'evaluating';
      stage: RunStage | null;
      message: string;
      /** The runtime of the frozen layers. */
      runtime?: 'onnx' | 'tfjs';
      /** The runtime of the training steps (forward and backward of the trainable part). */
      stepRuntime?: 'onnx' | 'tfjs';
      epochs?: number;
    }
  | { type: 'cache'; done: number; total: number; hits: number; misses: number; bytes: number; perSecond: number }
  | { type: 'batch'; stage: RunStage; record: BatchRecord; batches: number; imagesPerSecond: number; etaSeconds: number | null }
  | { type: 'epoch'; stage: RunStage; record: EpochRecord; epochs: number; best: boolean }
  | { type: 'checkpoint'; which: 'best' | 'last'; epoch: number };

/** Activation-cache figures of a run. */
export interface CacheStats {
  hits: number;
  misses: number;
  /** Bytes of cached activations this run reads. */
  bytes: number;
}

/** How a run ended. */
export type RunStatus = 'running' | 'completed' | 'stopped-early' | 'cancelled' | 'failed';

/** Metrics of one split at one checkpoint, with each image's prediction. */
export interface SplitEvaluation {
  split: SplitName;
  checkpoint: 'best' | 'last';
  report: ClassificationReport;
  /** Per image: predicted class index, its probability, the loss of the true class. */
  predictions: { imageId: number; predicted: number; probability: number; loss: number; probabilities: number[] }[];
}

/** What the engine's `train` returns. */
export interface TrainResult {
  status: Exclude<RunStatus, 'running' | 'failed'>;
  history: EpochRecord[];
  /** Sampled batch records (at most a few hundred per epoch). */
  batches: BatchRecord[];
  best: { epoch: number; valAcc: number | null; valLoss: number | null } | null;
  /** Checkpoint folders written (relative to the run folder). */
  checkpoints: { best: string | null; last: string | null };
  cache: CacheStats;
  backend: string;
  /** The runtime of the frozen layers. */
  runtime: 'onnx' | 'tfjs';
  /** The runtime of the last stage's training steps. */
  stepRuntime: 'onnx' | 'tfjs';
  seconds: number;
  evaluations: SplitEvaluation[];
}

/** Result of an LR range test. */
export interface LrFinderResult {
  points: LrFinderPoint[];
  suggestion: LrSuggestion;
}

/** Parameters of an LR range test: the run's config (its stage-one setup) and the finder's own settings. */
export interface LrFinderRequest {
  config: TrainingConfig;
  finder: LrFinderSpec;
}

/** A run as the runs list shows it. */
export interface RunSummary {
  id: number;
  name: string;
  status: RunStatus;
  arch: ArchName;
  classes: string[];
  createdAt: string;
  finishedAt: string | null;
  epochs: number;
  best: { epoch: number; valAcc: number | null; valLoss: number | null } | null;
  /** Test accuracy of the latest evaluation on the test split, when there is one. */
  testAcc: number | null;
  backend: string | null;
  runtime: string | null;
  seconds: number | null;
  /** Why it failed, or how it was interrupted (and that it can be resumed). */
  error: string | null;
  /** True when a checkpoint exists to resume, evaluate or export from. */
  hasCheckpoint: boolean;
}

/** One evaluation of a run, without its per-image predictions. */
export interface EvaluationSummary {
  id: number;
  split: SplitName;
  checkpoint: 'best' | 'last';
  report: ClassificationReport;
  createdAt: string;
}

/** A run with everything the wizard redraws: config, history, evaluations, files. */
export interface RunDetail extends RunSummary {
  config: TrainingConfig;
  /** The run's folder, where its checkpoints are. */
  dir: string;
  checkpoints: { best: string | null; last: string | null };
  history: (EpochRecord & { stage: RunStage })[];
  batches: BatchRecord[];
  cache: CacheStats | null;
  /** Images per split in the snapshot. */
  splitCounts: Record<SplitName, number>;
  evaluations: EvaluationSummary[];
}

/** Parameters of `training.start`: the config and an optional name. */
export interface TrainingStartParams {
  config: TrainingConfig;
  name?: string;
}

/** Progress of a training job: where it is, the latest figures. Every epoch and sampled batch also arrives as `run.metrics`. */
export interface TrainProgress {
  runId: number;
  phase: 'building' | 'caching' | 'training' | 'evaluating';
  stage: RunStage | null;
  message: string;
  /** The epoch in progress or just finished, counted from 1 over the whole run (0 before the first). */
  epoch: number;
  /** Epochs of the whole run, every stage. */
  epochs: number;
  /** Which runtime computes the frozen layers (null before the first stage is set up). */
  runtime: 'onnx' | 'tfjs' | null;
  batch: number;
  batches: number;
  lastBatch: BatchRecord | null;
  lastEpoch: EpochRecord | null;
  imagesPerSecond: number | null;
  etaSeconds: number | null;
  cache: { done: number; total: number; hits: number; misses: number; bytes: number } | null;
}

/** Pushed as `run.metrics`: the epochs and sampled batches recorded since the last push, in order, none dropped. */
export interface RunMetricsEvent {
  runId: number;
  epochs: (EpochRecord & { stage: RunStage })[];
  batches: BatchRecord[];
}

/** Parameters of `runs.evaluate`: which run, checkpoint and split. */
export interface EvaluateParams {
  runId: number;
  checkpoint: 'best' | 'last';
  split: SplitName;
}

/** What the wizard's data check shows: counts per class and split, and what stands in the way. */
export interface DatasetCheck {
  classes: { name: string; train: number; validation: number; test: number; unsplit: number }[];
  unlabelled: number;
  missing: number;
  /** Problems that stop training, each with what to do (and the classes concerned, when some are). */
  problems: { code: string; message: string; classes?: string[] }[];
  /** Things that train poorly but train: tiny classes, imbalance. */
  warnings: { code: 'tiny-class' | 'imbalance' | 'unlabelled' | 'missing'; message: string; classes?: string[] }[];
}

/** Parameters of `runs.predictions`: one evaluation's predictions, filtered and ordered for the gallery. */
export interface PredictionQuery {
  evaluationId: number;
  /** Only wrong predictions. */
  misclassified?: boolean;
  /** Only images of this true class (index in the run's classes). */
  trueClass?: number;
  /** Only images predicted as this class. */
  predictedClass?: number;
  /** Highest loss first (default), or least confident first. */
  orderBy?: 'loss' | 'confidence';
  offset?: number;
  limit?: number;
}

/** One prediction as the gallery shows it. */
export interface PredictionItem {
  imageId: number;
  path: string;
  thumbUrl: string;
  originalUrl: string;
  /** True class index in the run's classes. */
  label: number;
  predicted: number;
  probability: number;
  loss: number;
  probabilities: number[];
  /** The image's label in the library now, by class name (it may have been relabelled since). */
  currentLabel: string | null;
}

/** A page of predictions. */
export interface PredictionPage {
  total: number;
  offset: number;
  items: PredictionItem[];
}

/** Parameters of `training.augmentPreview`: a few of the project's images and the augmentation to show. */
export interface AugmentPreviewParams {
  imageIds: number[];
  augment: AugmentSpec;
  seed: number;
  /** Variants per image (1–8). */
  variants: number;
  /** Side of the previews in pixels (the run's input size, at most 256). */
  size: number;
}

/** Augmented variants of each image, as PNG data URLs (variant 0 is the image itself). */
export interface AugmentPreview {
  images: { imageId: number; variants: string[] }[];
}

/** Parameters of `runs.gradCam`: a run's checkpoint, an image, and the class to explain (the predicted one when absent). */
export interface GradCamParams {
  runId: number;
  checkpoint: 'best' | 'last';
  imageId: number;
  classIndex?: number;
}

/** A Grad-CAM heatmap: where the last convolutional feature map supports the class. */
export interface GradCam {
  classIndex: number;
  probabilities: number[];
  /** The layer whose feature map was used. */
  layer: string;
  /** RGBA PNG at the model's input size, to overlay on the image (data URL). */
  heatmap: string;
}
