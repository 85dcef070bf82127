/**
 * The engine process protocol: plain-data messages tagged with `kind`, requests matched to
 * replies by `id`. Per request kind: typed params, result and events. Types only; both the
 * host (main side) and the worker (engine process) import it.
 */
import type { ApiError } from '../api/errors';
import type { OnnxRuntimeInfo, TfBackendName } from '../api/types/app';
import type { ClassifyParams, ClassifyResult, EmbedParams, EmbedResult, OnnxCheckParams, OnnxCheckResult } from '../api/types/inference';
import type { EngineSelfTest, SelfTestParams, StepProgress } from '../api/types/jobs';
import type { DownloadedWeights, DownloadWeightsParams, ModelSummary, ModelSummaryParams, WeightsStatus, WeightsStatusParams } from '../api/types/models';
import type { AugmentPreview, DatasetSnapshot, GradCam, LrFinderResult, RunImage, SplitEvaluation, TrainEvent, TrainingConfig, TrainResult } from '../api/types/runs';
import type { AugmentSpec } from '../api/types/training';
import type { LrFinderSpec } from '../api/types/training';
import type { SplitName } from '../api/types/library';
import type { ExportJob, ExportResult } from '../api/types/export';
import type { EnginePredictParams, InspectModelParams, PredictModelInfo, PredictProgress, PredictResult, RunInit } from '../api/types/predict';

/** Where a run's files go: its folder (checkpoints), the project's activation cache, the weights cache (the engine's default when absent). */
export interface RunPaths {
  runDir: string;
  activationCacheDir: string;
  weightsCacheDir?: string;
}

/** The engine's `train`: a run's config and dataset snapshot; `resume` continues from its last checkpoint. */
export interface EngineTrainParams extends RunPaths {
  config: TrainingConfig;
  dataset: DatasetSnapshot;
  resume: boolean;
  /** The trained model the run starts from (its config's `startFrom`, resolved); not needed to resume. */
  init?: RunInit;
}

/** The engine's `evaluate`: a checkpoint of a run, on the images of one split. */
export interface EngineEvaluateParams extends RunPaths {
  config: TrainingConfig;
  classes: string[];
  checkpoint: 'best' | 'last';
  split: SplitName;
  images: RunImage[];
}

/** The engine's `augmentPreview`: images (by path) and the augmentation to show. */
export interface EngineAugmentPreviewParams {
  images: { imageId: number; path: string; contentHash: string }[];
  augment: AugmentSpec;
  seed: number;
  variants: number;
  size: number;
}

/** The engine's `gradCam`: a run's checkpoint and one image. */
export interface EngineGradCamParams {
  runDir: string;
  checkpoint: 'best' | 'last';
  config: TrainingConfig;
  image: { path: string; contentHash: string };
  classIndex?: number;
}

/** The engine's `lrFind`: the run's stage-one setup on its training images. */
export interface EngineLrFindParams extends RunPaths {
  config: TrainingConfig;
  dataset: DatasetSnapshot;
  finder: LrFinderSpec;
  init?: RunInit;
}

/** What the engine reports once its backend is up. */
export interface EngineHello {
  backend: TfBackendName;
  backendPackage: string;
  tfjsVersion: string;
  /** Each backend tried, in order, with why it was not used. */
  tried: { pkg: string; error: string }[];
  /** ONNX Runtime, loaded once at start: its version and providers, or why it cannot be used. */
  onnx: OnnxRuntimeInfo;
}

/** What an inference request reports: loading the model, downloading weights, then images. */
export interface InferenceEvent extends StepProgress {
  phase: 'loading' | 'download' | 'images';
  /** Images per second so far (images phase); null otherwise. */
  perSecond: number | null;
}

/** Every engine request: name → params, result and the events it pushes while running. */
export interface EngineRequests {
  selfTest: { params: SelfTestParams; result: EngineSelfTest; event: StepProgress };
  classify: { params: ClassifyParams; result: ClassifyResult; event: InferenceEvent };
  embed: { params: EmbedParams; result: EmbedResult; event: InferenceEvent };
  modelSummary: { params: ModelSummaryParams; result: ModelSummary; event: never };
  onnxCheck: { params: OnnxCheckParams; result: OnnxCheckResult; event: never };
  train: { params: EngineTrainParams; result: TrainResult; event: TrainEvent };
  evaluate: { params: EngineEvaluateParams; result: SplitEvaluation; event: StepProgress };
  lrFind: { params: EngineLrFindParams; result: LrFinderResult; event: StepProgress };
  augmentPreview: { params: EngineAugmentPreviewParams; result: AugmentPreview; event: never };
  gradCam: { params: EngineGradCamParams; result: GradCam; event: never };
  downloadWeights: { params: DownloadWeightsParams; result: DownloadedWeights; event: StepProgress };
  weightsStatus: { params: WeightsStatusParams; result: WeightsStatus; event: never };
  export: { params: ExportJob; result: ExportResult; event: StepProgress };
  predict: { params: EnginePredictParams; result: PredictResult; event: PredictProgress };
  inspectModel: { params: InspectModelParams; result: PredictModelInfo; event: never };
}

/** An engine request name. */
export type EngineRequestName = keyof EngineRequests;
/** Parameters of engine request N. */
export type EngineParams<N extends EngineRequestName> = EngineRequests[N]['params'];
/** Result of engine request N. */
export type EngineResult<N extends EngineRequestName> = EngineRequests[N]['result'];
/** An event of engine request N. */
export type EngineEvent<N extends EngineRequestName> = EngineRequests[N]['event'];

/** What the host can ask of a running (or queued) request. */
export type EngineControl = 'cancel' | 'pause' | 'resume';

/** Messages sent to the engine. */
export type ToEngine =
  | { kind: 'request'; id: number; name: EngineRequestName; params: unknown }
  | { kind: 'control'; id: number; action: EngineControl }
  | { kind: 'shutdown' };

/** Messages sent by the engine. */
export type FromEngine =
  | { kind: 'ready'; hello: EngineHello }
  | { kind: 'fatal'; error: string }
  | { kind: 'reply'; id: number; ok: true; result: unknown }
  | { kind: 'reply'; id: number; ok: false; error: ApiError }
  /** An event of request `id`, typed by that request's kind. */
  | { kind: 'event'; id: number; event: unknown }
  /** Request `id` waits behind `position - 1` others; null: it has started. */
  | { kind: 'queued'; id: number; position: number | null }
  /** Request `id` is paused (true) or running again (false). */
  | { kind: 'paused'; id: number; paused: boolean };
