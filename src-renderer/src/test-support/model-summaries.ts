import type { LayerSummary, ModelSummary } from '../../../src-main/api/types/models';

/** Builds a summary from layer rows, with block totals computed as the engine does. */
function summaryOf(arch: ModelSummary['arch'], size: number, layerTable: LayerSummary[]): ModelSummary {
  const blocks = new Map<string, { name: string; layers: number; params: number; trainableParams: number }>();
  for (const l of layerTable) {
    const b = blocks.get(l.block) ?? { name: l.block, layers: 0, params: 0, trainableParams: 0 };
    b.layers += 1;
    b.params += l.params;
    const shape = l.outputShape as (number | null)[];
    b.trainableParams += l.className === 'BatchNormalization' ? l.params - 2 * (shape.at(-1) ?? 0) : l.params;
    blocks.set(l.block, b);
  }
  const total = layerTable.reduce((n, l) => n + l.params, 0);
  const trainable = [...blocks.values()].reduce((n, b) => n + b.trainableParams, 0);
  return {
    arch,
    inputShape: [size, size, 3],
    includeTop: false,
    pooling: 'avg',
    classes: null,
    totalParams: total,
    trainableParams: trainable,
    nonTrainableParams: total - trainable,
    layers: layerTable.length,
    blocks: [...blocks.values()],
    layerTable,
  };
}

const row = (name: string, className: string, outputShape: (number | null)[], params: number, block: string, inbound: string[]): LayerSummary => ({
  name,
  className,
  outputShape,
  params,
  trainable: true,
  block,
  inbound,
});

/** Conv → BN → ReLU, MobileNetV2's unit, with the real parameter rules (BN: 4 per channel). */
function convUnit(prefix: string, block: string, input: string, shape: [number, number, number], inChannels: number): LayerSummary[] {
  const [h, w, c] = shape;
  return [
    row(prefix, 'Conv2D', [null, h, w, c], inChannels * c, block, [input]),
    row(`${prefix}_BN`, 'BatchNormalization', [null, h, w, c], 4 * c, block, [prefix]),
    row(`${prefix}_relu`, 'ReLU', [null, h, w, c], 0, block, [`${prefix}_BN`]),
  ];
}

/**
 * A small MobileNetV2-shaped base: stem, block_1, block_2 (with a residual add), block_3,
 * Conv_1, then the summary's pooling in `head`. 96×96 input.
 */
export function smallMobileNetSummary(): ModelSummary {
  const rows: LayerSummary[] = [row('input_layer', 'InputLayer', [null, 96, 96, 3], 0, 'stem', [])];
  rows.push(...convUnit('Conv1', 'stem', 'input_layer', [48, 48, 32], 27));
  rows.push(...convUnit('block_1_expand', 'block_1', 'Conv1_relu', [48, 48, 96], 32));
  rows.push(row('block_1_project', 'Conv2D', [null, 24, 24, 24], 96 * 24, 'block_1', ['block_1_expand_relu']));
  rows.push(row('block_1_project_BN', 'BatchNormalization', [null, 24, 24, 24], 96, 'block_1', ['block_1_project']));
  rows.push(...convUnit('block_2_expand', 'block_2', 'block_1_project_BN', [24, 24, 144], 24));
  rows.push(row('block_2_project', 'Conv2D', [null, 24, 24, 24], 144 * 24, 'block_2', ['block_2_expand_relu']));
  rows.push(row('block_2_project_BN', 'BatchNormalization', [null, 24, 24, 24], 96, 'block_2', ['block_2_project']));
  rows.push(row('block_2_add', 'Add', [null, 24, 24, 24], 0, 'block_2', ['block_1_project_BN', 'block_2_project_BN']));
  rows.push(...convUnit('block_3_expand', 'block_3', 'block_2_add', [12, 12, 144], 24));
  rows.push(row('block_3_project', 'Conv2D', [null, 3, 3, 32], 144 * 32, 'block_3', ['block_3_expand_relu']));
  rows.push(row('block_3_project_BN', 'BatchNormalization', [null, 3, 3, 32], 128, 'block_3', ['block_3_project']));
  rows.push(row('Conv_1', 'Conv2D', [null, 3, 3, 1280], 32 * 1280, 'Conv_1', ['block_3_project_BN']));
  rows.push(row('Conv_1_bn', 'BatchNormalization', [null, 3, 3, 1280], 4 * 1280, 'Conv_1', ['Conv_1']));
  rows.push(row('out_relu', 'ReLU', [null, 3, 3, 1280], 0, 'Conv_1', ['Conv_1_bn']));
  rows.push(row('global_average_pooling2d', 'GlobalAveragePooling2D', [null, 1280], 0, 'head', ['out_relu']));
  return summaryOf('mobilenet_v2', 96, rows);
}

/**
 * An InceptionV3-sized base (312 layers in 12 blocks of parallel conv branches joined by a
 * Concatenate), for checking that a big tree stays quick to render.
 */
export function bigInceptionSummary(): ModelSummary {
  const rows: LayerSummary[] = [row('input_1', 'InputLayer', [null, 299, 299, 3], 0, 'stem', [])];
  let previous = 'input_1';
  let n = 0;
  const blocks = ['stem', ...Array.from({ length: 11 }, (_, i) => `mixed${i}`)];
  for (const block of blocks) {
    const branchEnds: string[] = [];
    // 8 branches of conv + BN + ReLU, joined: 26 layers a block, 312 in all with the input and pooling.
    for (let b = 0; b < 8; b++) {
      n += 1;
      rows.push(row(`conv2d_${n}`, 'Conv2D', [null, 8, 8, 64], 64 * 64, block, [previous]));
      rows.push(row(`batch_normalization_${n}`, 'BatchNormalization', [null, 8, 8, 64], 3 * 64, block, [`conv2d_${n}`]));
      rows.push(row(`activation_${n}`, 'Activation', [null, 8, 8, 64], 0, block, [`batch_normalization_${n}`]));
      branchEnds.push(`activation_${n}`);
    }
    const join = block === 'stem' ? 'max_pooling2d_2' : block;
    rows.push(row(join, block === 'stem' ? 'MaxPooling2D' : 'Concatenate', [null, 8, 8, 512], 0, block, branchEnds));
    previous = join;
  }
  while (rows.length < 311) {
    const name = `extra_${rows.length}`;
    rows.push(row(name, 'Activation', [null, 8, 8, 512], 0, 'mixed10', [previous]));
    previous = name;
  }
  rows.push(row('global_average_pooling2d_1', 'GlobalAveragePooling2D', [null, 2048], 0, 'head', [previous]));
  return summaryOf('inception_v3', 299, rows);
}
