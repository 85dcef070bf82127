import fs from 'node:fs';
import path from 'node:path';
import { GraftError } from '../api/errors';
import { DEFAULT_ONNX_THREADS, runtimeChoice, threadCount } from '../api/params/inference-params';
import type { InferenceWeights, RuntimeChoice, RuntimeReport } from '../api/types/inference';
import { ARCH_NAMES, ARCHITECTURES, isArchName } from '../api/model-catalog';
import type { ArchName } from '../api/types/models';
import { ParseError, type Parser } from '../base/parse';
import type { CliOptions, CliValues } from './command';

/** Reads the required `--base <arch>`. */
export function parseBase(values: CliValues): ArchName {
  const value = values.base;
  if (value === undefined) throw new GraftError('bad-request', `Say which model to use with --base (${ARCH_NAMES.join(', ')}).`);
  if (!isArchName(value)) throw new GraftError('bad-request', `Unknown architecture "${String(value)}" for --base. Choose one of: ${ARCH_NAMES.join(', ')}.`);
  return value;
}

/** The weights a verb uses when `--weights` is left out: the offline bundled trunk where the architecture has one. */
export function defaultWeights(arch: ArchName): InferenceWeights {
  return ARCHITECTURES[arch].weightSources.includes('bundled') ? 'bundled' : 'imagenet';
}

/** Reads `--weights imagenet|bundled|none|FILE`; a file must exist. */
export function parseWeights(values: CliValues, fallback: InferenceWeights): InferenceWeights {
  const value = values.weights;
  if (value === undefined) return fallback;
  if (value === 'imagenet' || value === 'bundled' || value === 'none') return value;
  if (typeof value !== 'string' || value === '') throw new GraftError('bad-request', '--weights takes imagenet, bundled, none or a weights file.');
  const file = path.resolve(value);
  if (!fs.existsSync(file)) {
    throw new GraftError('bad-request', `Weights file not found: ${file}. --weights takes imagenet, bundled, none or a .h5, .keras or model.json file.`);
  }
  return { file };
}

/** How a weights choice reads in output: the keyword or the file path. */
export function weightsLabel(weights: InferenceWeights): string {
  return typeof weights === 'string' ? weights : weights.file;
}

/**
 * Reads an optional option with the contract's own parser (the one the engine and the
 * dispatcher use), so a flag is checked exactly as the request it becomes. `whole` options
 * are digits on the command line and numbers in the request.
 */
export function option<T>(values: CliValues, name: string, parser: Parser<T>, kind: 'text' | 'whole' = 'text'): T | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = kind === 'whole' && typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : raw;
  try {
    return parser(value, `--${name}`);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    throw new GraftError('bad-request', `--${name} must be ${error.expected}; got "${String(raw)}".`);
  }
}

/** `--runtime` and `--threads`, the same for every verb that runs a model. */
export const RUNTIME_OPTIONS: CliOptions = {
  runtime: {
    type: 'string',
    value: 'auto|onnx|tfjs',
    description: 'auto: ONNX Runtime where it loads, else TensorFlow.js; onnx: fail if ONNX Runtime cannot be used; tfjs: TensorFlow.js',
    defaultText: 'auto',
  },
  threads: {
    type: 'string',
    value: 'N',
    description: 'ONNX Runtime threads (measured fastest here with image decoding beside it)',
    defaultText: String(DEFAULT_ONNX_THREADS),
  },
};

/** Reads `--runtime` and `--threads`; threads with `--runtime tfjs` are refused, since TensorFlow.js would ignore them. */
export function runtimeOptions(values: CliValues): { runtime?: RuntimeChoice; threads?: number } {
  const runtime = option(values, 'runtime', runtimeChoice);
  const threads = option(values, 'threads', threadCount, 'whole');
  if (runtime === 'tfjs' && threads !== undefined) {
    throw new GraftError('bad-request', '--threads sets ONNX Runtime\'s threads, which --runtime tfjs does not use. Drop one of them.');
  }
  return { runtime, threads };
}

/** Which runtime ran the model, in words, with why ONNX Runtime was not used under 'auto'. */
export function runtimeLine(report: RuntimeReport, backend: string): string[] {
  const ran = report.runtime === 'onnx' ? `Runtime: ONNX Runtime (${report.runtimeDetails})` : `Runtime: TensorFlow.js (${backend} backend)`;
  return report.fallbackReason ? [ran, `  ONNX Runtime not used: ${report.fallbackReason}`] : [ran];
}
