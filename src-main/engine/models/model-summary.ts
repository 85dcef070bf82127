import type { LayersModel } from '@tensorflow/tfjs';
import type { LayerSummary, ModelSummary } from '../../api/types/models';
import type { Tf } from '../backend';
import { GraftError } from '../../api/errors';
import { blocksOf, type ModelBlock } from './blocks';
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
  // Keras would ignore these silently; a user who gives them expects them to matter.
  if (!options.includeTop && options.classes !== undefined) {
    throw new GraftError('bad-request', 'The number of classes sets the size of the classifier, which a model without its top does not have. Leave the classes out, or keep the top.');
  }
  if (options.includeTop && options.pooling !== undefined) {
    throw new GraftError('bad-request', 'Pooling applies to a model without its top (the classifier brings its own). Leave the pooling out, or drop the top.');
  }
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
    const blocks = blocksOf(model, arch);
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
      blocks: blocks.map((b) => ({ name: b.name, layers: b.layers.length, params: b.params, trainableParams: b.trainableParams })),
      layerTable: layerTable(model, blocks),
    };
  } finally {
    model.dispose();
  }
}

/** One row per layer, as Keras's summary lists them: class, output shape, parameters, inputs, and the block it belongs to. */
export function layerTable(model: LayersModel, blocks: readonly ModelBlock[]): LayerSummary[] {
  const blockOf = new Map<string, string>();
  for (const block of blocks) for (const name of block.layers) blockOf.set(name, block.name);
  return model.layers.map((layer) => {
    const inbound = new Set<string>();
    for (const node of layer.inboundNodes) for (const parent of node.inboundLayers) inbound.add(parent.name);
    return {
      name: layer.name,
      className: layer.getClassName(),
      outputShape: layer.outputShape as LayerSummary['outputShape'],
      params: layer.countParams(),
      trainable: layer.trainable && (model.trainable ?? true),
      block: blockOf.get(layer.name) ?? 'head',
      inbound: [...inbound],
    };
  });
}
