/**
 * The layer tree's model, without Vue: the base's blocks and layers from `models.summary`,
 * which layers train (a set of names) and the freeze plan it maps to and from, parameter
 * totals, the cached prefix the engine will compute once (its freeze cut), and the rows on
 * screen for the blocks that are open.
 */
import type { LayerSummary, ModelSummary } from '../../../src-main/api/types/models';
import type { FreezePlan } from '../../../src-main/api/types/runs';

/** The block the summary puts its pooling in; the wizard's own head replaces it. */
const SUMMARY_HEAD = 'head';

/** Layers whose output in training is random: the engine never caches them (nor what follows). */
const STOCHASTIC = new Set(['Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout']);

/** One layer of the base. */
export interface TreeLayer {
  /** Position in the model's order (0 = the input layer). */
  index: number;
  name: string;
  className: string;
  /** Output shape as Keras prints it, e.g. `(None, 7, 7, 1280)`. */
  shape: string;
  params: number;
  /** Parameters that train when the layer does: BatchNormalization's moving mean and variance never do. */
  trainableParams: number;
  block: string;
  inbound: string[];
  /** False for layers without weights (activations, pooling, adds): nothing to freeze. */
  hasWeights: boolean;
}

/** One block of the base, as the architecture declares it. */
export interface TreeBlock {
  name: string;
  layers: TreeLayer[];
  params: number;
  trainableParams: number;
  /** Layers with weights (the ones a freeze changes). */
  weighted: number;
}

/** The base of a model as the tree shows it. */
export interface LayerTree {
  blocks: TreeBlock[];
  /** Every layer in the model's order. */
  layers: TreeLayer[];
  /** All parameters of the base, BatchNorm statistics included (Keras's "Total params" without the top). */
  totalParams: number;
  /** Output shape of the base's last layer (what the head pools), e.g. [null, 7, 7, 1280]. */
  featureShape: (number | null)[];
}

/** Keras's way of printing a shape: `(None, 7, 7, 1280)`; several outputs joined. */
export function formatShape(shape: LayerSummary['outputShape']): string {
  const one = (s: (number | null)[]) => `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
  return Array.isArray(shape[0]) ? (shape as (number | null)[][]).map(one).join(', ') : one(shape as (number | null)[]);
}

function channelsOf(shape: LayerSummary['outputShape']): number {
  const s = (Array.isArray(shape[0]) ? shape[0] : shape) as (number | null)[];
  return s[s.length - 1] ?? 0;
}

/** Builds the tree from a summary of the base without its top; the summary's own pooling block is left out. */
export function buildLayerTree(summary: ModelSummary): LayerTree {
  const layers: TreeLayer[] = [];
  const blocks = new Map<string, TreeBlock>();
  for (const row of summary.layerTable) {
    if (row.block === SUMMARY_HEAD) continue;
    const statistics = row.className === 'BatchNormalization' ? 2 * channelsOf(row.outputShape) : 0;
    const layer: TreeLayer = {
      index: layers.length,
      name: row.name,
      className: row.className,
      shape: formatShape(row.outputShape),
      params: row.params,
      trainableParams: Math.max(0, row.params - statistics),
      block: row.block,
      inbound: row.inbound,
      hasWeights: row.params > 0,
    };
    layers.push(layer);
    let block = blocks.get(row.block);
    if (!block) blocks.set(row.block, (block = { name: row.block, layers: [], params: 0, trainableParams: 0, weighted: 0 }));
    block.layers.push(layer);
    block.params += layer.params;
    block.trainableParams += layer.trainableParams;
    if (layer.hasWeights) block.weighted += 1;
  }
  const last = summary.layerTable.filter((l) => l.block !== SUMMARY_HEAD).at(-1);
  const featureShape = last ? ((Array.isArray(last.outputShape[0]) ? last.outputShape[0] : last.outputShape) as (number | null)[]) : [];
  return { blocks: [...blocks.values()], layers, totalParams: layers.reduce((n, l) => n + l.params, 0), featureShape };
}

/** Names of the layers with weights in `layers`. */
const weightedNames = (layers: readonly TreeLayer[]) => layers.filter((l) => l.hasWeights).map((l) => l.name);

/** The layers a freeze plan trains (only layers with weights are listed). */
export function trainableSet(tree: LayerTree, plan: FreezePlan): Set<string> {
  switch (plan.kind) {
    case 'head-only':
      return new Set();
    case 'all':
      return new Set(weightedNames(tree.layers));
    case 'from': {
      const at = tree.blocks.findIndex((b) => b.name === plan.block);
      return new Set(at < 0 ? [] : tree.blocks.slice(at).flatMap((b) => weightedNames(b.layers)));
    }
    case 'blocks': {
      const wanted = new Set(plan.blocks);
      return new Set(tree.blocks.filter((b) => wanted.has(b.name)).flatMap((b) => weightedNames(b.layers)));
    }
    case 'layers': {
      const wanted = new Set(plan.layers);
      return new Set(tree.layers.filter((l) => l.hasWeights && wanted.has(l.name)).map((l) => l.name));
    }
  }
}

/** Whether a block trains: every weighted layer, none, or some. */
export type BlockState = 'trainable' | 'frozen' | 'mixed';

/** The state of a block's freeze checkbox. */
export function blockState(block: TreeBlock, trainable: ReadonlySet<string>): BlockState {
  const weighted = block.layers.filter((l) => l.hasWeights);
  const on = weighted.filter((l) => trainable.has(l.name)).length;
  if (weighted.length === 0 || on === 0) return 'frozen';
  return on === weighted.length ? 'trainable' : 'mixed';
}

/**
 * The simplest freeze plan that trains exactly `trainable`: head only, everything, the last
 * blocks (`from`), whole blocks, or single layers.
 */
export function planOf(tree: LayerTree, trainable: ReadonlySet<string>): FreezePlan {
  const weighted = weightedNames(tree.layers);
  const on = weighted.filter((name) => trainable.has(name));
  if (on.length === 0) return { kind: 'head-only' };
  if (on.length === weighted.length) return { kind: 'all' };
  const states = tree.blocks.filter((b) => b.weighted > 0).map((b) => ({ name: b.name, state: blockState(b, trainable) }));
  if (states.some((s) => s.state === 'mixed')) return { kind: 'layers', layers: on };
  const first = states.findIndex((s) => s.state === 'trainable');
  if (states.slice(first).every((s) => s.state === 'trainable')) return { kind: 'from', block: states[first]!.name };
  return { kind: 'blocks', blocks: states.filter((s) => s.state === 'trainable').map((s) => s.name) };
}

/** Freezes or unfreezes one layer. */
export function withLayer(trainable: ReadonlySet<string>, layer: TreeLayer, trains: boolean): Set<string> {
  const next = new Set(trainable);
  if (layer.hasWeights && trains) next.add(layer.name);
  else next.delete(layer.name);
  return next;
}

/** Freezes or unfreezes every layer of a block. */
export function withBlock(trainable: ReadonlySet<string>, block: TreeBlock, trains: boolean): Set<string> {
  const next = new Set(trainable);
  for (const name of weightedNames(block.layers)) {
    if (trains) next.add(name);
    else next.delete(name);
  }
  return next;
}

/** "Freeze up to here": this layer and everything before it frozen, everything after it trains. */
export function freezeUpTo(tree: LayerTree, lastFrozen: TreeLayer): Set<string> {
  return new Set(weightedNames(tree.layers.slice(lastFrozen.index + 1)));
}

/** The quick choices above the tree. */
export type FreezePreset = 'head-only' | 'last-block' | 'last-two' | 'all';

/** The plan of a preset for this tree. */
export function presetPlan(tree: LayerTree, preset: FreezePreset): FreezePlan {
  const names = tree.blocks.filter((b) => b.weighted > 0).map((b) => b.name);
  switch (preset) {
    case 'head-only':
      return { kind: 'head-only' };
    case 'all':
      return { kind: 'all' };
    case 'last-block':
    case 'last-two': {
      const count = preset === 'last-block' ? 1 : 2;
      return names.length <= count ? { kind: 'all' } : { kind: 'from', block: names[names.length - count]! };
    }
  }
}

/** The preset a plan equals on this tree, if any (to show which one is active). */
export function presetOf(tree: LayerTree, plan: FreezePlan): FreezePreset | null {
  const key = (p: FreezePlan) => JSON.stringify([...trainableSet(tree, p)].sort());
  const mine = key(plan);
  return (['head-only', 'last-block', 'last-two', 'all'] as const).find((preset) => key(presetPlan(tree, preset)) === mine) ?? null;
}

/** Parameter totals of base and head: what trains, what stays frozen. */
export interface ParamTotals {
  trainable: number;
  frozen: number;
  total: number;
}

/** Totals for a freeze state; the head's parameters always train. */
export function paramTotals(tree: LayerTree, trainable: ReadonlySet<string>, headParams: number): ParamTotals {
  const base = tree.layers.reduce((n, l) => n + (trainable.has(l.name) ? l.trainableParams : 0), 0);
  const total = tree.totalParams + headParams;
  return { trainable: base + headParams, frozen: total - base - headParams, total };
}

/**
 * Where the engine cuts the model (as its `cutOf` does): a layer belongs to the cached prefix
 * when every input does and it neither trains nor is random. Returns the index of the first
 * layer outside the prefix, in the model's order; the layer count when the whole base is cached.
 */
export function cutIndex(tree: LayerTree, trainable: ReadonlySet<string>): number {
  const prefix = new Set<string>();
  for (const layer of tree.layers) {
    const cached =
      layer.inbound.length === 0 ||
      (layer.inbound.every((name) => prefix.has(name)) && !(layer.hasWeights && trainable.has(layer.name)) && !STOCHASTIC.has(layer.className));
    if (cached) prefix.add(layer.name);
    else return layer.index;
  }
  return tree.layers.length;
}

/** One line on screen: a block header, or a layer of an open block. */
export type TreeRow = { kind: 'block'; key: string; block: TreeBlock; open: boolean } | { kind: 'layer'; key: string; layer: TreeLayer };

/** The rows on screen: every block, and the layers of the open ones only (a closed block renders one row). */
export function visibleRows(tree: LayerTree, open: ReadonlySet<string>): TreeRow[] {
  const rows: TreeRow[] = [];
  for (const block of tree.blocks) {
    const isOpen = open.has(block.name);
    rows.push({ kind: 'block', key: `b:${block.name}`, block, open: isOpen });
    if (isOpen) for (const layer of block.layers) rows.push({ kind: 'layer', key: `l:${layer.name}`, layer });
  }
  return rows;
}

/**
 * The row the cut line is drawn above: the first row that holds a layer at or past the cut
 * (a closed block that the cut falls inside counts); `rows.length` when the whole base is cached.
 */
export function cutRow(rows: readonly TreeRow[], cut: number): number {
  const at = rows.findIndex((row) => (row.kind === 'layer' ? row.layer.index >= cut : row.block.layers.at(-1)!.index >= cut && !(row.open && row.block.layers[0]!.index < cut)));
  return at < 0 ? rows.length : at;
}
