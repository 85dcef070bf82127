/** Parameter parsers of the engine's inference requests (classify, embed), shared by the CLI and the engine. */
import { array, either, int, object, oneOf, optional, ParseError, str, type Parser } from '../../base/parse';
import { ARCHITECTURES } from '../model-catalog';
import type { ClassifyParams, EmbedParams, InferenceWeights, OnnxCheckParams, RuntimeChoice } from '../types/inference';
import { archName, inputSize, pooling } from './models-params';
import { pathParam } from './library-params';

/** A weights choice: 'imagenet', 'bundled', 'none' or a weights file. */
export const inferenceWeights: Parser<InferenceWeights> = either(
  oneOf(['imagenet', 'bundled', 'none'] as const),
  object({ file: pathParam }),
  '"imagenet", "bundled", "none" or a weights file',
);

/** Which runtime runs the forward passes: auto, onnx or tfjs. */
export const runtimeChoice: Parser<RuntimeChoice> = oneOf(['auto', 'onnx', 'tfjs'] as const);

/**
 * ONNX Runtime intra-op threads when a request names none. On 2 cores, one thread leaves the
 * other core to decode the next batch: MobileNetV2 224 costs ≈ 4.3 ms of CPU per image on
 * ONNX Runtime and decoding a 1024×768 JPEG ≈ 4.3 ms, so either split tops out near the same
 * rate, but one thread never spins waiting and holds up when other work shares the machine,
 * where two threads lost more than half their speed (bench/embed-e2e-bench.ts).
 */
export const DEFAULT_ONNX_THREADS = 1;

/**
 * Images per forward pass of `embed` when a request names none: on one ONNX Runtime thread
 * smaller batches cost less CPU per image (MobileNetV2 224: 4.3 ms at 1, 4.9 at 8, 5.4 at 16,
 * 5.5 at 32), while 8 still gives decoding a batch of images to work on in parallel.
 */
export const DEFAULT_EMBED_BATCH_SIZE = 8;

/** ONNX Runtime intra-op threads: a few per core is already too many, 64 is generous. */
export const threadCount: Parser<number> = int({ min: 1, max: 64 });

const imagePaths = array(pathParam, { maxItems: 10_000_000 });
const optionalText = optional(str({ nonEmpty: true, maxLength: 4096 }));

/** Refuses an input side below the architecture's minimum, naming it. */
function checkInputSize<T extends { arch: ClassifyParams['arch']; inputSize?: number }>(params: T, path = ''): T {
  const min = ARCHITECTURES[params.arch].minInputSize;
  if (params.inputSize !== undefined && params.inputSize < min) {
    throw new ParseError(path ? `${path}.inputSize` : 'inputSize', `at least ${min} for ${ARCHITECTURES[params.arch].displayName}`);
  }
  return params;
}

/** The engine's `classify` request. */
export const classifyParams: Parser<ClassifyParams> = (value, path) => {
  const parsed = object({
    arch: archName,
    weights: inferenceWeights,
    images: imagePaths,
    top: optional(int({ min: 1, max: 1000 })),
    inputSize: optional(inputSize),
    cacheDir: optionalText,
    weightsBaseUrl: optionalText,
    runtime: optional(runtimeChoice),
    threads: optional(threadCount),
  })(value, path);
  return checkInputSize({ ...parsed, top: parsed.top ?? 5 }, path);
};

/** The engine's `embed` request. */
export const embedParams: Parser<EmbedParams> = (value, path) =>
  checkInputSize(
    object({
      arch: archName,
      weights: inferenceWeights,
      images: imagePaths,
      layer: optionalText,
      pooling: optional(pooling),
      inputSize: optional(inputSize),
      batchSize: optional(int({ min: 1, max: 512 })),
      out: pathParam,
      indexOut: optionalText,
      cacheDir: optionalText,
      weightsBaseUrl: optionalText,
      runtime: optional(runtimeChoice),
      threads: optional(threadCount),
    })(value, path),
    path,
  );

/** The engine's `onnxCheck` request (MobileNetV2, so its minimum input side applies). */
export const onnxCheckParams: Parser<OnnxCheckParams> = object({
  inputSize: optional(int({ min: ARCHITECTURES.mobilenet_v2.minInputSize, max: 512 })),
  images: optional(int({ min: 1, max: 64 })),
  threads: optional(threadCount),
});
