/**
 * What each kind of engine request is, for both sides of the process boundary: the parser
 * the worker checks its params with, whether it is heavy (heavy requests run one at a time,
 * queued), how long a cancel may take, and how long it may stay silent before the engine
 * counts as hung.
 */
import type { Parser } from '../base/parse';
import { classifyParams, embedParams, onnxCheckParams } from '../api/params/inference-params';
import { selfTestParams } from '../api/params/jobs-params';
import { downloadWeightsParams, modelSummaryParams, weightsStatusParams } from '../api/params/models-params';
import {
  engineAugmentPreviewParams,
  engineEvaluateParams,
  engineExportParams,
  engineGradCamParams,
} from '../api/params/training-params';
import { enginePredictParams, inspectModelParams } from '../api/params/predict-params';
import { engineLrFindParams, engineTrainParams } from '../api/params/engine-run-params';
import type { EngineParams, EngineRequestName } from './protocol';

/** How the host and the worker treat one kind of request. */
export interface EngineRequestKind<N extends EngineRequestName> {
  parse: Parser<EngineParams<N>>;
  /** Heavy requests (tensor work on many images) queue behind each other; light ones answer at once. */
  heavy: boolean;
  /** How long a cancelled request may take to stop before the engine is restarted. */
  cancelGraceMs: number;
  /** How long a running request may send nothing before the engine counts as hung. */
  silenceMs: number;
}

/** Every engine request kind. */
export const ENGINE_REQUEST_KINDS: { readonly [N in EngineRequestName]: EngineRequestKind<N> } = {
  selfTest: { parse: selfTestParams, heavy: true, cancelGraceMs: 5_000, silenceMs: 120_000 },
  // A batch of 32 at 224 px on the pure-JS backend takes ~25 s; loading VGG16 longer.
  classify: { parse: classifyParams, heavy: true, cancelGraceMs: 30_000, silenceMs: 300_000 },
  embed: { parse: embedParams, heavy: true, cancelGraceMs: 30_000, silenceMs: 300_000 },
  // Building VGG16 with its top allocates 550 MB; it sends no events while it builds.
  modelSummary: { parse: modelSummaryParams, heavy: false, cancelGraceMs: 30_000, silenceMs: 300_000 },
  // Builds MobileNetV2 twice over (tfjs and ONNX) and runs a few images through each; silent meanwhile.
  onnxCheck: { parse: onnxCheckParams, heavy: true, cancelGraceMs: 30_000, silenceMs: 120_000 },
  // One batch through unfrozen convolution blocks on the pure-JS backend can take minutes.
  train: { parse: engineTrainParams, heavy: true, cancelGraceMs: 180_000, silenceMs: 900_000 },
  evaluate: { parse: engineEvaluateParams, heavy: true, cancelGraceMs: 60_000, silenceMs: 600_000 },
  lrFind: { parse: engineLrFindParams, heavy: true, cancelGraceMs: 180_000, silenceMs: 900_000 },
  // A few images: answered between the batches of a run.
  augmentPreview: { parse: engineAugmentPreviewParams, heavy: false, cancelGraceMs: 10_000, silenceMs: 60_000 },
  gradCam: { parse: engineGradCamParams, heavy: false, cancelGraceMs: 30_000, silenceMs: 300_000 },
  // Network work: not queued behind a run, and a stalled connection is retried inside.
  downloadWeights: { parse: downloadWeightsParams, heavy: false, cancelGraceMs: 10_000, silenceMs: 300_000 },
  // One stat of a file.
  weightsStatus: { parse: weightsStatusParams, heavy: false, cancelGraceMs: 5_000, silenceMs: 30_000 },
  // Converting VGG16 and checking it reads back 500 MB twice.
  export: { parse: engineExportParams, heavy: true, cancelGraceMs: 60_000, silenceMs: 900_000 },
  // A batch of 16 through VGG16 on the pure-JS backend takes minutes; loading and converting it is silent.
  predict: { parse: enginePredictParams, heavy: true, cancelGraceMs: 60_000, silenceMs: 600_000 },
  // Rebuilds and loads the model (VGG16: 500 MB) without a word.
  inspectModel: { parse: inspectModelParams, heavy: true, cancelGraceMs: 30_000, silenceMs: 300_000 },
};

/** Tells whether a string names an engine request. */
export function isEngineRequestName(name: unknown): name is EngineRequestName {
  return typeof name === 'string' && Object.hasOwn(ENGINE_REQUEST_KINDS, name);
}
