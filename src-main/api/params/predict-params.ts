/** Parameter parsers of using a model: batch prediction, suggestions, imported models, and the files beside an export. */
import { array, bool, int, num, object, oneOf, optional, ParseError, positiveInt, record, str, type Parser } from '../../base/parse';
import type { PreprocessingSpec } from '../types/export';
import type {
  EngineModelSource,
  EnginePredictParams,
  InspectModelParams,
  ModelImportParams,
  PredictFilesParams,
  PredictModelRef,
  SuggestionsRunParams,
} from '../types/predict';
import { runtimeChoice, threadCount } from './inference-params';
import { imageIds, pathParam } from './library-params';
import { classList, runId, trainingConfig } from './training-params';

const checkpointName = oneOf(['best', 'last'] as const);
const triple: Parser<[number, number, number]> = (value, path = '') => {
  const parsed = array(num(), { minItems: 3, maxItems: 3 })(value, path);
  return [parsed[0]!, parsed[1]!, parsed[2]!];
};
const onlyTrue: Parser<true> = (value, path = '') => {
  if (value !== true) throw new ParseError(path, 'true (Graft always applies the EXIF orientation)');
  return true;
};
const nonZero: Parser<number> = (value, path = '') => {
  const parsed = num()(value, path);
  if (parsed === 0) throw new ParseError(path, 'a number other than 0');
  return parsed;
};

/**
 * `preprocessing.json` (PreprocessingSpec): the documented input steps. The fixed steps must
 * say what Graft does (stretch, bilinear, EXIF, alpha dropped, NHWC float32); a file that
 * asks for something else is refused rather than silently done differently.
 */
export const preprocessingSpecParser: Parser<PreprocessingSpec> = (value, path) => {
  const parsed = object({
    width: positiveInt(8192),
    height: positiveInt(8192),
    resize: optional(oneOf(['stretch'] as const)),
    interpolation: optional(oneOf(['bilinear'] as const)),
    exifOrientation: optional(onlyTrue),
    alpha: optional(oneOf(['drop'] as const)),
    channelOrder: oneOf(['RGB', 'BGR'] as const),
    layout: optional(oneOf(['NHWC'] as const)),
    dtype: optional(oneOf(['float32'] as const)),
    mode: oneOf(['caffe', 'tf', 'torch', 'unit'] as const),
    scale: num(),
    offset: num(),
    mean: triple,
    std: (v, p = ''): [number, number, number] => {
      const [a, b, c] = triple(v, p);
      for (const [i, s] of [a, b, c].entries()) nonZero(s, `${p}[${i}]`);
      return [a, b, c];
    },
  })(value, path);
  return { ...parsed, resize: 'stretch', interpolation: 'bilinear', exifOrientation: true, alpha: 'drop', layout: 'NHWC', dtype: 'float32' };
};

/** `labels.json` beside an export: `{"classes": [...]}` (Graft's), or a bare list of names. */
export const labelsFile: Parser<string[]> = (value, path) => (Array.isArray(value) ? classList(value, path) : object({ classes: classList })(value, path).classes);

const hints = { classes: optional(classList), preprocessing: optional(preprocessingSpecParser), preprocessMode: optional(oneOf(['caffe', 'tf', 'torch', 'unit'] as const)) };

/** The model of the engine's `predict`. */
export const engineModelSource: Parser<EngineModelSource> = (value, path) => {
  const { kind } = object({ kind: oneOf(['checkpoint', 'file'] as const) })(value, path);
  if (kind === 'checkpoint') {
    return { kind, ...object({ runDir: pathParam, checkpoint: checkpointName, config: trainingConfig, classes: classList })(value, path) };
  }
  return { kind, ...object({ path: pathParam, ...hints })(value, path) };
};

/** The engine's `predict`. */
export const enginePredictParams: Parser<EnginePredictParams> = object({
  model: engineModelSource,
  images: array(pathParam, { maxItems: 10_000_000 }),
  top: int({ min: 1, max: 100_000 }),
  runtime: optional(runtimeChoice),
  threads: optional(threadCount),
  batchSize: optional(int({ min: 1, max: 512 })),
});

/** The engine's `inspectModel`. */
export const inspectModelParams: Parser<InspectModelParams> = object({ path: pathParam, ...hints });

/** Which model `predict.files` uses: `{runId, checkpoint?}`, `{modelPath, classes?, preprocessing?}` or `{modelId}`. */
export const predictModelRef: Parser<PredictModelRef> = (value, path = '') => {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    if (Object.hasOwn(value, 'runId')) return object({ runId, checkpoint: optional(checkpointName) })(value, path);
    if (Object.hasOwn(value, 'modelPath')) return object({ modelPath: pathParam, ...hints })(value, path);
    if (Object.hasOwn(value, 'modelId')) return object({ modelId: positiveInt() })(value, path);
  }
  throw new ParseError(path, '{runId, checkpoint?}, {modelPath} or {modelId}');
};

/** `predict.files`. */
export const predictFilesParams: Parser<PredictFilesParams> = object({
  paths: array(pathParam, { minItems: 1, maxItems: 1_000_000 }),
  model: predictModelRef,
  top: optional(int({ min: 1, max: 100_000 })),
  runtime: optional(runtimeChoice),
  csvPath: optional(pathParam),
});

/** `predict.upload`: a photo dropped into the browser page, as base64 (at most 16 MB on the wire). */
export const predictUploadParams = object({ fileName: str({ nonEmpty: true, maxLength: 1024 }), data: str({ nonEmpty: true, maxLength: 17 * 1024 * 1024 }) });

/** `suggestions.run`. */
export const suggestionsRunParams: Parser<SuggestionsRunParams> = object({
  runId: optional(runId),
  checkpoint: optional(checkpointName),
  modelId: optional(positiveInt()),
  scope: optional(oneOf(['unlabelled', 'all'] as const)),
  runtime: optional(runtimeChoice),
});

/** `suggestions.list`, `suggestions.accept`, `suggestions.reject`: image ids. */
export const suggestionImageIds = object({ imageIds });

/** `suggestions.acceptAbove`. */
export const suggestionsAcceptAboveParams = object({ threshold: num({ min: 0, max: 1 }), dryRun: optional(bool) });

/** `models.import`. */
export const modelImportParams: Parser<ModelImportParams> = object({
  path: pathParam,
  name: optional(str({ nonEmpty: true, maxLength: 200 })),
  mapClasses: optional(record(str({ nonEmpty: true, maxLength: 1024 }), { maxKeys: 100_000 })),
  copy: optional(bool),
  ...hints,
});
