import * as tf from '@tensorflow/tfjs';
import type { LayersModel } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraftError } from '../../api/errors';
import { blocksOf } from './blocks';
import { buildModel } from './build-model';
import {
  freezeAll,
  freezeBlock,
  freezeLayer,
  freezeUpTo,
  paramCounts,
  unfreezeAll,
  unfreezeBlock,
  unfreezeLayer,
} from './freeze';

let resnet: LayersModel;
let mobilenet: LayersModel;

beforeAll(async () => {
  await tf.setBackend('cpu');
  resnet = buildModel(tf, 'resnet50');
  mobilenet = buildModel(tf, 'mobilenet_v2');
});
afterAll(() => {
  resnet.dispose();
  mobilenet.dispose();
});

/** Keras's model.summary() figures for ResNet50 and MobileNetV2 (BatchNorm moving stats are the non-trainable part). */
const KERAS = {
  resnet50: { total: 25_636_712, trainable: 25_583_592, nonTrainable: 53_120 },
  mobilenet_v2: { total: 3_538_984, trainable: 3_504_872, nonTrainable: 34_112 },
};

describe('paramCounts', () => {
  it('matches Keras for untouched models', () => {
    unfreezeAll(resnet);
    unfreezeAll(mobilenet);
    expect(paramCounts(resnet)).toEqual(KERAS.resnet50);
    expect(paramCounts(mobilenet)).toEqual(KERAS.mobilenet_v2);
  });

  it('matches Keras for InceptionV3 (BatchNorm without gamma)', () => {
    const inception = buildModel(tf, 'inception_v3', { includeTop: false });
    try {
      expect(paramCounts(inception)).toEqual({ total: 21_802_784, trainable: 21_768_352, nonTrainable: 34_432 });
    } finally {
      inception.dispose();
    }
  });

  it('counts everything as non-trainable when frozen, at model or layer level', () => {
    freezeAll(mobilenet);
    expect(paramCounts(mobilenet)).toEqual({ total: KERAS.mobilenet_v2.total, trainable: 0, nonTrainable: KERAS.mobilenet_v2.total });
    unfreezeAll(mobilenet);
    mobilenet.trainable = false;
    expect(paramCounts(mobilenet).trainable).toBe(0);
    expect(blocksOf(mobilenet, 'mobilenet_v2').every((b) => b.trainableParams === 0)).toBe(true);
    unfreezeAll(mobilenet);
    expect(paramCounts(mobilenet)).toEqual(KERAS.mobilenet_v2);
  });
});

describe('freezing layers and blocks', () => {
  it('freezes and unfreezes a single layer', () => {
    unfreezeAll(resnet);
    freezeLayer(resnet, 'conv1_conv'); // 7·7·3·64 + 64
    expect(paramCounts(resnet).trainable).toBe(KERAS.resnet50.trainable - 9_472);
    freezeLayer(resnet, 'conv1_bn'); // gamma + beta; its moving stats were never trainable
    expect(paramCounts(resnet).trainable).toBe(KERAS.resnet50.trainable - 9_472 - 128);
    unfreezeLayer(resnet, 'conv1_conv');
    unfreezeLayer(resnet, 'conv1_bn');
    expect(paramCounts(resnet)).toEqual(KERAS.resnet50);
    expect(() => freezeLayer(resnet, 'nope')).toThrow(GraftError);
  });

  it('freezes and unfreezes a block, and blocksOf reports it', () => {
    unfreezeAll(resnet);
    freezeBlock(resnet, 'resnet50', 'conv5');
    const conv5 = blocksOf(resnet, 'resnet50').find((b) => b.name === 'conv5')!;
    expect(conv5.trainableParams).toBe(0);
    expect(paramCounts(resnet).nonTrainable).toBe(KERAS.resnet50.nonTrainable + (conv5.params - bnMovingStats(resnet, conv5.layers)));
    unfreezeBlock(resnet, 'resnet50', 'conv5');
    expect(paramCounts(resnet)).toEqual(KERAS.resnet50);
  });

  it('freezeUpTo freezes the blocks up to and including the cut and unfreezes the rest', () => {
    unfreezeAll(mobilenet);
    freezeLayer(mobilenet, 'predictions'); // must be undone: freezeUpTo sets every block
    freezeUpTo(mobilenet, 'mobilenet_v2', 'block_13');
    const blocks = blocksOf(mobilenet, 'mobilenet_v2');
    const cut = blocks.findIndex((b) => b.name === 'block_13');
    blocks.forEach((b, i) => {
      if (i <= cut) expect(b.trainableParams, b.name).toBe(0);
      else expect(b.trainableParams, b.name).toBe(b.params - bnMovingStats(mobilenet, b.layers));
    });
    expect(paramCounts(mobilenet).trainable).toBe(blocks.slice(cut + 1).reduce((s, b) => s + b.trainableParams, 0));

    freezeUpTo(mobilenet, 'mobilenet_v2', 'stem');
    expect(blocksOf(mobilenet, 'mobilenet_v2').find((b) => b.name === 'block_1')!.trainableParams).toBeGreaterThan(0);
    expect(() => freezeUpTo(mobilenet, 'mobilenet_v2', 'block_99')).toThrow(/No block named "block_99"/);
  });
});

/** Parameters of the BatchNorm moving statistics in the named layers (never trainable). */
function bnMovingStats(model: LayersModel, layers: readonly string[]): number {
  return layers
    .map((name) => model.getLayer(name))
    .filter((l) => l.getClassName() === 'BatchNormalization')
    .reduce((sum, l) => sum + 2 * (l.weights[0]?.shape[0] ?? 0), 0);
}
