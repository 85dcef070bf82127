/** Parameter parsers of the model requests, shared by the main-side dispatcher and the engine. */
import { bool, object, oneOf, optional, positiveInt, str, type Parser } from '../../base/parse';
import { ARCH_NAMES } from '../model-catalog';
import type { ArchName, ModelSummaryParams, Pooling, WeightsStatusParams } from '../types/models';

/** An architecture name. */
export const archName: Parser<ArchName> = oneOf(ARCH_NAMES);
/** Global pooling of a trunk's output. */
export const pooling: Parser<Pooling> = oneOf(['avg', 'max'] as const);
/** A square input side in pixels; the architecture checks its own minimum. */
export const inputSize = positiveInt(4096);
/** A number of classes. */
export const classCount = positiveInt(100_000);

/** `models.summary` and the engine's `modelSummary`. */
export const modelSummaryParams: Parser<ModelSummaryParams> = object({
  arch: archName,
  includeTop: bool,
  pooling: optional(pooling),
  inputSize: optional(inputSize),
  classes: optional(classCount),
});

/** `models.weightsStatus` and the engine's `weightsStatus`. */
export const weightsStatusParams: Parser<WeightsStatusParams> = object({ arch: archName, inputSize: optional(inputSize) });

/** `models.download` and the engine's `downloadWeights`. */
export const downloadWeightsParams = object({
  arch: archName,
  inputSize: optional(inputSize),
  cacheDir: optional(str({ nonEmpty: true, maxLength: 4096 })),
  baseUrl: optional(str({ nonEmpty: true, maxLength: 4096 })),
});
