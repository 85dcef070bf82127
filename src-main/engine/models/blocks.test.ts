import * as tf from '@tensorflow/tfjs';
import type { LayersModel } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraftError } from '../../api/errors';
import { blockNamesOf, blocksOf, HEAD_BLOCK } from './blocks';
import { buildModel, type BuildOptions } from './build-model';
import { ARCH_NAMES, ARCHITECTURES } from '../../api/model-catalog';
import type { ArchName } from '../../api/types/models';

const models: LayersModel[] = [];
beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => models.forEach((m) => m.dispose()));

function build(arch: ArchName, options: BuildOptions = {}): LayersModel {
  const model = buildModel(tf, arch, options);
  models.push(model);
  return model;
}

/** Small inputs keep VGG16's classifier small; the blocks do not depend on the input size. */
const SMALL: Record<ArchName, BuildOptions> = {
  vgg16: { inputShape: [32, 32, 3] },
  resnet50: {},
  inception_v3: {},
  mobilenet_v2: {},
};

describe('blocksOf', () => {
  it.each(ARCH_NAMES)('%s: every layer is in exactly one block, blocks in order, params add up', (arch) => {
    const model = build(arch, SMALL[arch]);
    const blocks = blocksOf(model, arch);
    expect(blocks.map((b) => b.name)).toEqual([...blockNamesOf(arch), HEAD_BLOCK]);
    const all = blocks.flatMap((b) => b.layers);
    expect(all.sort()).toEqual(model.layers.map((l) => l.name).sort());
    expect(new Set(all).size).toBe(all.length);
    expect(blocks.reduce((sum, b) => sum + b.params, 0)).toBe(model.countParams());
    // Nothing frozen yet: everything but BatchNorm moving statistics is trainable.
    for (const b of blocks) expect(b.trainableParams).toBeLessThanOrEqual(b.params);
  });

  it('names the blocks Keras-style per architecture', () => {
    expect(blockNamesOf('vgg16')).toEqual(['block1', 'block2', 'block3', 'block4', 'block5']);
    expect(blockNamesOf('resnet50')).toEqual(['conv1', 'conv2', 'conv3', 'conv4', 'conv5']);
    expect(blockNamesOf('inception_v3')).toEqual(['stem', ...Array.from({ length: 11 }, (_, i) => `mixed${i}`)]);
    expect(blockNamesOf('mobilenet_v2')).toEqual(['stem', ...Array.from({ length: 16 }, (_, i) => `block_${i + 1}`), 'Conv_1']);
  });

  it('puts the right layers in the right blocks', () => {
    const byName = (arch: ArchName, options: BuildOptions = {}) =>
      new Map(blocksOf(build(arch, options), arch).map((b) => [b.name, b.layers]));

    const resnet = byName('resnet50', { includeTop: false, pooling: 'avg', inputShape: [32, 32, 3] });
    expect(resnet.get('conv1')).toEqual(['input_layer', 'conv1_pad', 'conv1_conv', 'conv1_bn', 'conv1_relu', 'pool1_pad', 'pool1_pool']);
    expect(resnet.get('conv3')).toContain('conv3_block1_0_conv');
    expect(resnet.get('conv3')!.at(-1)).toBe('conv3_block4_out');
    expect(resnet.get(HEAD_BLOCK)).toEqual(['avg_pool']);

    const mobilenet = byName('mobilenet_v2', { includeTop: false, inputShape: [32, 32, 3] });
    expect(mobilenet.get('stem')).toContain('expanded_conv_project_BN');
    expect(mobilenet.get('block_1')).toEqual([
      'block_1_expand', 'block_1_expand_BN', 'block_1_expand_relu', 'block_1_pad', 'block_1_depthwise',
      'block_1_depthwise_BN', 'block_1_depthwise_relu', 'block_1_project', 'block_1_project_BN',
    ]);
    expect(mobilenet.get('block_2')!.at(-1)).toBe('block_2_add');
    expect(mobilenet.get('Conv_1')).toEqual(['Conv_1', 'Conv_1_bn', 'out_relu']);
    expect(mobilenet.has(HEAD_BLOCK)).toBe(false); // no top, no pooling: nothing after Conv_1

    const inception = byName('inception_v3', { includeTop: false, inputShape: [75, 75, 3] });
    expect(inception.get('stem')).toEqual([
      'input_1', ...[1, 2, 3].flatMap((i) => [`conv2d_${i}`, `batch_normalization_${i}`, `activation_${i}`]), 'max_pooling2d_1',
      ...[4, 5].flatMap((i) => [`conv2d_${i}`, `batch_normalization_${i}`, `activation_${i}`]), 'max_pooling2d_2',
    ]);
    expect(inception.get('mixed0')).toHaveLength(7 * 3 + 2); // 7 conv-bn-relu triples, the average pool, mixed0
    expect(inception.get('mixed9')).toContain('mixed9_0');
    expect(inception.get('mixed9')).toContain('concatenate_1');
  });

  it('finds the Inception stem under Keras 3 numbering too', () => {
    const model = build('inception_v3', { includeTop: false, inputShape: [75, 75, 3], inceptionNaming: 'keras3' });
    const stem = blocksOf(model, 'inception_v3')[0]!;
    expect(stem.layers.at(-1)).toBe('max_pooling2d_1');
    expect(stem.layers).toContain('conv2d');
  });

  it('counts a grafted head as the head block', () => {
    const base = build('mobilenet_v2', { includeTop: false, inputShape: [32, 32, 3] });
    const pooled = tf.layers.globalAveragePooling2d({ name: 'graft_pool' }).apply(base.outputs[0]!) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 3, name: 'graft_dense' }).apply(pooled) as tf.SymbolicTensor;
    const grafted = tf.model({ inputs: base.inputs, outputs: out });
    const head = blocksOf(grafted, 'mobilenet_v2').at(-1)!;
    expect(head).toEqual({ name: HEAD_BLOCK, layers: ['graft_pool', 'graft_dense'], params: 1280 * 3 + 3, trainableParams: 1280 * 3 + 3 });
  });

  it('says so when the model is not the architecture it claims', () => {
    const model = build('mobilenet_v2', { includeTop: false, inputShape: [32, 32, 3] });
    expect(() => blocksOf(model, 'resnet50')).toThrow(GraftError);
    expect(() => blocksOf(model, 'resnet50')).toThrow(`does not look like ${ARCHITECTURES.resnet50.displayName}`);
  });
});
