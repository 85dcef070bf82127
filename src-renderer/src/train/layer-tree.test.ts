import { describe, expect, it } from 'vitest';
import { bigInceptionSummary, smallMobileNetSummary } from '../test-support/model-summaries';
import { headParams, headRows } from './head-layers';
import {
  blockState,
  buildLayerTree,
  cutIndex,
  cutRow,
  formatShape,
  freezeUpTo,
  paramTotals,
  planOf,
  presetOf,
  presetPlan,
  trainableSet,
  visibleRows,
  withBlock,
  withLayer,
} from './layer-tree';

const tree = buildLayerTree(smallMobileNetSummary());
const layer = (name: string) => tree.layers.find((l) => l.name === name)!;
const block = (name: string) => tree.blocks.find((b) => b.name === name)!;

describe('buildLayerTree', () => {
  it('groups layers in blocks, leaves out the summary pooling, and counts what can train', () => {
    expect(tree.blocks.map((b) => b.name)).toEqual(['stem', 'block_1', 'block_2', 'block_3', 'Conv_1']);
    expect(tree.layers.at(-1)!.name).toBe('out_relu');
    expect(tree.featureShape).toEqual([null, 3, 3, 1280]);
    // BatchNorm: gamma and beta train, the moving mean and variance never do.
    expect(layer('Conv_1_bn')).toMatchObject({ params: 5120, trainableParams: 2560, hasWeights: true });
    expect(layer('out_relu').hasWeights).toBe(false);
    const summary = smallMobileNetSummary();
    for (const b of tree.blocks) expect(b.trainableParams).toBe(summary.blocks.find((s) => s.name === b.name)!.trainableParams);
    expect(tree.totalParams).toBe(summary.totalParams);
    expect(formatShape([null, 7, 7, 1280])).toBe('(None, 7, 7, 1280)');
  });
});

describe('freeze plans', () => {
  it('maps each plan to the layers it trains and back to the simplest plan', () => {
    expect(trainableSet(tree, { kind: 'head-only' }).size).toBe(0);
    const fromBlock3 = trainableSet(tree, { kind: 'from', block: 'block_3' });
    expect([...fromBlock3]).toEqual(['block_3_expand', 'block_3_expand_BN', 'block_3_project', 'block_3_project_BN', 'Conv_1', 'Conv_1_bn']);
    expect(planOf(tree, fromBlock3)).toEqual({ kind: 'from', block: 'block_3' });
    const middle = trainableSet(tree, { kind: 'blocks', blocks: ['block_1'] });
    expect(planOf(tree, middle)).toEqual({ kind: 'blocks', blocks: ['block_1'] });
    expect(planOf(tree, trainableSet(tree, { kind: 'all' }))).toEqual({ kind: 'all' });
    expect(planOf(tree, new Set())).toEqual({ kind: 'head-only' });
    const single = withLayer(new Set(), layer('Conv_1'), true);
    expect(planOf(tree, single)).toEqual({ kind: 'layers', layers: ['Conv_1'] });
    expect(trainableSet(tree, { kind: 'layers', layers: ['Conv_1', 'not_a_layer', 'out_relu'] })).toEqual(new Set(['Conv_1']));
  });

  it('propagates block checkboxes to layers and shows mixed blocks', () => {
    let on = withBlock(new Set(), block('block_2'), true);
    expect(blockState(block('block_2'), on)).toBe('trainable');
    expect(blockState(block('block_1'), on)).toBe('frozen');
    on = withLayer(on, layer('block_2_project'), false);
    expect(blockState(block('block_2'), on)).toBe('mixed');
    expect(planOf(tree, on).kind).toBe('layers');
    on = withBlock(on, block('block_2'), false);
    expect(on.size).toBe(0);
    // Layers without weights have nothing to freeze.
    expect(withLayer(new Set(), layer('block_2_add'), true).size).toBe(0);
  });

  it('freezes up to a layer: it and everything before stay frozen', () => {
    const on = freezeUpTo(tree, layer('block_2_add'));
    expect(planOf(tree, on)).toEqual({ kind: 'from', block: 'block_3' });
    expect(planOf(tree, freezeUpTo(tree, layer('Conv_1')))).toEqual({ kind: 'layers', layers: ['Conv_1_bn'] });
  });

  it('has presets for head only, the last block, the last two and everything', () => {
    expect(presetPlan(tree, 'last-block')).toEqual({ kind: 'from', block: 'Conv_1' });
    expect(presetPlan(tree, 'last-two')).toEqual({ kind: 'from', block: 'block_3' });
    expect(presetPlan(tree, 'head-only')).toEqual({ kind: 'head-only' });
    expect(presetPlan(tree, 'all')).toEqual({ kind: 'all' });
    expect(presetOf(tree, { kind: 'blocks', blocks: ['block_3', 'Conv_1'] })).toBe('last-two');
    expect(presetOf(tree, { kind: 'blocks', blocks: ['block_1'] })).toBeNull();
  });
});

describe('totals and the cut', () => {
  const head = headParams(headRows(tree.featureShape, { pooling: 'avg', layers: [] }, 3));

  it('counts the head as trainable and everything else as frozen for head only', () => {
    expect(head).toBe(1281 * 3);
    const totals = paramTotals(tree, new Set(), head);
    expect(totals).toEqual({ trainable: head, frozen: tree.totalParams, total: tree.totalParams + head });
  });

  it('moves a block between frozen and trainable, BatchNorm statistics staying frozen', () => {
    const totals = paramTotals(tree, trainableSet(tree, presetPlan(tree, 'last-block')), head);
    expect(totals.trainable).toBe(head + 32 * 1280 + 2 * 1280);
    expect(totals.frozen + totals.trainable).toBe(totals.total);
    const all = paramTotals(tree, trainableSet(tree, { kind: 'all' }), head);
    expect(all.frozen).toBe(smallMobileNetSummary().nonTrainableParams);
  });

  it('places the cut where the engine caches up to', () => {
    expect(cutIndex(tree, new Set())).toBe(tree.layers.length);
    const lastBlock = trainableSet(tree, presetPlan(tree, 'last-block'));
    expect(tree.layers[cutIndex(tree, lastBlock)]!.name).toBe('Conv_1');
    // Unfreezing a layer in block_2's branch: the residual input keeps its cache, the cut is that layer.
    expect(tree.layers[cutIndex(tree, new Set(['block_2_project']))]!.name).toBe('block_2_project');
    expect(cutIndex(tree, trainableSet(tree, { kind: 'all' }))).toBe(1);
  });

  it('draws the cut line above the first row past the cut, whether blocks are open or closed', () => {
    const cut = cutIndex(tree, trainableSet(tree, presetPlan(tree, 'last-block')));
    const closed = visibleRows(tree, new Set());
    expect(closed).toHaveLength(5);
    expect(closed[cutRow(closed, cut)]).toMatchObject({ kind: 'block', block: { name: 'Conv_1' } });
    const inside = cutIndex(tree, new Set(['block_2_project']));
    expect(closed[cutRow(closed, inside)]).toMatchObject({ kind: 'block', block: { name: 'block_2' } });
    const open = visibleRows(tree, new Set(['block_2']));
    expect(open[cutRow(open, inside)]).toMatchObject({ kind: 'layer', layer: { name: 'block_2_project' } });
    expect(cutRow(closed, tree.layers.length)).toBe(closed.length);
  });
});

describe('a big tree', () => {
  it('shows only block rows until a block opens', () => {
    const big = buildLayerTree(bigInceptionSummary());
    expect(big.layers).toHaveLength(311);
    expect(visibleRows(big, new Set())).toHaveLength(12);
    expect(visibleRows(big, new Set(['mixed5']))).toHaveLength(12 + 25);
    expect(big.blocks.find((b) => b.name === 'mixed0')!.trainableParams).toBe(8 * (64 * 64 + 64));
  });
});
