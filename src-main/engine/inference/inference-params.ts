import { GraftError } from '../../api/errors';
import { ARCH_NAMES, ARCHITECTURES, isArchName } from '../../api/model-catalog';
import type { ArchName } from '../../api/types/models';
import type { ClassifyParams, EmbedParams, InferenceWeights } from '../../api/types/inference';

// Engine params come from another process as untyped data: check every field before use.

type Fields = Record<string, unknown>;

function asObject(params: unknown): Fields {
  if (typeof params !== 'object' || params === null) throw new GraftError('bad-request', 'Parameters must be an object.');
  return params as Fields;
}

/** Reads an architecture name or fails with the list of choices. */
export function parseArch(value: unknown): ArchName {
  if (!isArchName(value)) throw new GraftError('bad-request', `Unknown architecture "${String(value)}". Choose one of: ${ARCH_NAMES.join(', ')}.`);
  return value;
}

/** Reads a weights choice: 'imagenet', 'bundled', 'none' or {file}. */
export function parseWeights(value: unknown): InferenceWeights {
  if (value === 'imagenet' || value === 'bundled' || value === 'none') return value;
  if (typeof value === 'object' && value !== null && typeof (value as Fields).file === 'string' && (value as Fields).file !== '') {
    return { file: (value as { file: string }).file };
  }
  throw new GraftError('bad-request', 'Weights must be "imagenet", "bundled", "none" or a weights file.');
}

function parseImages(value: unknown): string[] {
  if (!Array.isArray(value) || value.some((p) => typeof p !== 'string' || p === '')) {
    throw new GraftError('bad-request', '"images" must be a list of image file paths.');
  }
  return value as string[];
}

function optionalInt(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new GraftError('bad-request', `${name} must be a whole number from ${min} to ${max}; got ${String(value)}.`);
  }
  return value;
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '') throw new GraftError('bad-request', `${name} must be a non-empty string.`);
  return value;
}

/** Checks the params of a `classify` request. */
export function parseClassifyParams(params: unknown): ClassifyParams {
  const p = asObject(params);
  const arch = parseArch(p.arch);
  return {
    arch,
    weights: parseWeights(p.weights),
    images: parseImages(p.images),
    top: optionalInt(p.top, 'top', 1, 1000) ?? 5,
    inputSize: optionalInt(p.inputSize, 'Input size', ARCHITECTURES[arch].minInputSize, 2048),
    cacheDir: optionalString(p.cacheDir, 'cacheDir'),
    weightsBaseUrl: optionalString(p.weightsBaseUrl, 'weightsBaseUrl'),
  };
}

/** Checks the params of an `embed` request. */
export function parseEmbedParams(params: unknown): EmbedParams {
  const p = asObject(params);
  const arch = parseArch(p.arch);
  const pooling = p.pooling ?? undefined;
  if (pooling !== undefined && pooling !== 'avg' && pooling !== 'max') {
    throw new GraftError('bad-request', `Pooling must be "avg" or "max"; got "${String(pooling)}".`);
  }
  const out = optionalString(p.out, 'The output file');
  if (!out) throw new GraftError('bad-request', 'Say where to write the feature vectors (an .npy file).');
  return {
    arch,
    weights: parseWeights(p.weights),
    images: parseImages(p.images),
    layer: optionalString(p.layer, 'Layer'),
    pooling,
    inputSize: optionalInt(p.inputSize, 'Input size', ARCHITECTURES[arch].minInputSize, 2048),
    batchSize: optionalInt(p.batchSize, 'Batch size', 1, 512),
    out,
    indexOut: optionalString(p.indexOut, 'The index file'),
    cacheDir: optionalString(p.cacheDir, 'cacheDir'),
    weightsBaseUrl: optionalString(p.weightsBaseUrl, 'weightsBaseUrl'),
  };
}
