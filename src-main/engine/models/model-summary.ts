import type { ModelSummary } from '../../api/types/models';
import type { Tf } from '../backend';
import { blocksOf } from './blocks';
import { buildModel } from './build-model';
import type { Pooling } from '../../api/types/models';
import { resolveOptions } from './build-options';
import { paramCounts } from './freeze';
import { ARCHITECTURES } from '../../api/model-catalog';
import type { ArchName } from '../../api/types/models';

/** The options `summarizeModel` takes, as `graft model-summary` and `models.summary` give them. */
export interface SummaryOptions {
  includeTop: boolean;
  pooling?: Pooling;
  /** Square input side; the architecture's default when absent. */
  inputSize?: number;
  /** Classes of the classifier (default 1000); ignored without the top. */
  classes?: number;
}

/** Build options with the summary's defaults filled in. */
export interface SummaryBuildOptions {
  includeTop: boolean;
  pooling: Pooling | undefined;
  inputShape: readonly [number, number, 3];
  classes: number;
}

/** The build options a summary uses; fails on bad options (GraftError) before any tfjs work. */
export function summaryBuildOptions(arch: ArchName, options: SummaryOptions): SummaryBuildOptions {
  const size = options.inputSize ?? ARCHITECTURES[arch].defaultInputSize;
  const built: SummaryBuildOptions = { includeTop: options.includeTop, pooling: options.pooling, inputShape: [size, size, 3] as const, classes: options.classes ?? 1000 };
  resolveOptions(arch, built);
  return built;
}

/**
 * Builds an architecture with random weights and reports its layers, blocks and parameter
 * counts (Keras's `model.summary()` totals), then frees it.
 */
export function summarizeModel(tf: Tf, arch: ArchName, options: SummaryOptions): ModelSummary {
  const built = summaryBuildOptions(arch, options);
  const model = buildModel(tf, arch, built);
  try {
    const counts = paramCounts(model);
    return {
      arch,
      inputShape: [built.inputShape[0], built.inputShape[1], 3],
      includeTop: built.includeTop,
      pooling: built.includeTop ? null : (built.pooling ?? null),
      classes: built.includeTop ? built.classes : null,
      totalParams: counts.total,
      trainableParams: counts.trainable,
      nonTrainableParams: counts.nonTrainable,
      layers: model.layers.length,
      blocks: blocksOf(model, arch).map((b) => ({ name: b.name, layers: b.layers.length, params: b.params, trainableParams: b.trainableParams })),
    };
  } finally {
    model.dispose();
  }
}
