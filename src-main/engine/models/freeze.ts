import type { LayersModel } from '@tensorflow/tfjs';
import { GraftError } from '../../api/errors';
import { blocksOf, countOf, type ModelBlock } from './blocks';
import type { ArchName } from '../../api/types/models';

// tfjs-layers captures the trainable weights in compile(): recompile after any change here.

/** Parameter totals the way Keras's `model.summary()` reports them. */
export interface ParamCounts {
  total: number;
  trainable: number;
  nonTrainable: number;
}

/**
 * Counts parameters as Keras does: a weight is trainable when its layer (and the model) is
 * trainable and the weight itself is; BatchNormalization moving mean/variance never are. A
 * weight shared by several layers counts once.
 */
export function paramCounts(model: LayersModel): ParamCounts {
  const trainable = countOf(unique(model.trainableWeights));
  const nonTrainable = countOf(unique(model.nonTrainableWeights));
  return { total: trainable + nonTrainable, trainable, nonTrainable };
}

/** Freezes or unfreezes one layer by name. */
export function setLayerTrainable(model: LayersModel, layerName: string, trainable: boolean): void {
  const layer = model.layers.find((l) => l.name === layerName);
  if (!layer) throw new GraftError('not-found', `The model has no layer named "${layerName}".`);
  layer.trainable = trainable;
}

/** Makes one layer's weights non-trainable. */
export function freezeLayer(model: LayersModel, layerName: string): void {
  setLayerTrainable(model, layerName, false);
}

/** Makes one layer's weights trainable again. */
export function unfreezeLayer(model: LayersModel, layerName: string): void {
  setLayerTrainable(model, layerName, true);
}

/** Freezes or unfreezes every layer of one block (see blocks.ts for block names). */
export function setBlockTrainable(model: LayersModel, arch: ArchName, blockName: string, trainable: boolean): void {
  const blocks = blocksOf(model, arch);
  setLayersTrainable(model, findBlock(blocks, blockName).layers, trainable);
}

/** Makes every layer of one block non-trainable. */
export function freezeBlock(model: LayersModel, arch: ArchName, blockName: string): void {
  setBlockTrainable(model, arch, blockName, false);
}

/** Makes every layer of one block trainable. */
export function unfreezeBlock(model: LayersModel, arch: ArchName, blockName: string): void {
  setBlockTrainable(model, arch, blockName, true);
}

/**
 * Freezes every block up to and including `blockName` and makes every later block trainable,
 * like fastai's `freeze_to`: the result does not depend on what was frozen before.
 */
export function freezeUpTo(model: LayersModel, arch: ArchName, blockName: string): void {
  const blocks = blocksOf(model, arch);
  const cut = blocks.indexOf(findBlock(blocks, blockName));
  blocks.forEach((block, i) => setLayersTrainable(model, block.layers, i > cut));
}

/** Makes every layer non-trainable. */
export function freezeAll(model: LayersModel): void {
  for (const layer of model.layers) layer.trainable = false;
}

/** Makes every layer trainable (BatchNorm moving statistics stay non-trainable). */
export function unfreezeAll(model: LayersModel): void {
  model.trainable = true;
  for (const layer of model.layers) layer.trainable = true;
}

function findBlock(blocks: ModelBlock[], blockName: string): ModelBlock {
  const block = blocks.find((b) => b.name === blockName);
  if (!block) {
    throw new GraftError('not-found', `No block named "${blockName}". Blocks of this model: ${blocks.map((b) => b.name).join(', ')}.`);
  }
  return block;
}

function setLayersTrainable(model: LayersModel, names: readonly string[], trainable: boolean): void {
  const wanted = new Set(names);
  for (const layer of model.layers) if (wanted.has(layer.name)) layer.trainable = trainable;
}

function unique<T extends { id: number }>(weights: readonly T[]): T[] {
  return [...new Map(weights.map((w) => [w.id, w])).values()];
}
