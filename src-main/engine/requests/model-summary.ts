import type { ModelSummary, ModelSummaryParams } from '../../api/types/models';
import { GraftError } from '../../api/errors';
import type { EngineContext } from '../worker/engine-context';
import { summarizeModel } from '../models/model-summary';
import { ARCH_NAMES, isArchName } from '../../api/model-catalog';

function optionalWhole(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new GraftError('bad-request', `${name} must be a positive whole number; got ${String(value)}.`);
  }
  return value;
}

/** The engine's `modelSummary` request: builds the architecture in the engine and summarises it. */
export async function runModelSummary(params: ModelSummaryParams, ctx: EngineContext): Promise<ModelSummary> {
  if (typeof params !== 'object' || params === null) throw new GraftError('bad-request', 'Parameters must be an object.');
  const { arch, includeTop, pooling } = params;
  if (!isArchName(arch)) throw new GraftError('bad-request', `Unknown architecture "${String(arch)}". Choose one of: ${ARCH_NAMES.join(', ')}.`);
  if (typeof includeTop !== 'boolean') throw new GraftError('bad-request', '"includeTop" must be true or false.');
  if (pooling !== undefined && pooling !== null && pooling !== 'avg' && pooling !== 'max') {
    throw new GraftError('bad-request', `Pooling must be "avg" or "max"; got "${String(pooling)}".`);
  }
  return summarizeModel(ctx.tf, arch, {
    includeTop,
    pooling: pooling ?? undefined,
    inputSize: optionalWhole(params.inputSize, 'Input size'),
    classes: optionalWhole(params.classes, 'Classes'),
  });
}
