import * as tf from '@tensorflow/tfjs';
import type { LayersModel } from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GraftError } from '../../api/errors';
import { buildModel, type BuildOptions } from './build-model';
import { ARCH_NAMES, ARCHITECTURES } from '../../api/model-catalog';
import type { ArchName } from '../../api/types/models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

let built: LayersModel[] = [];
afterEach(disposeBuilt);

/** Disposes every model built so far; also called mid-test to keep peak memory down (VGG16). */
function disposeBuilt(): void {
  for (const model of built) model.dispose();
  built = [];
}

/** Builds and registers the model for disposal after the test (VGG16 with top is 553 MB). */
function build(arch: ArchName, options: BuildOptions = {}): LayersModel {
  const model = buildModel(tf, arch, options);
  built.push(model);
  return model;
}

/** Width of the layer feeding `predictions`: its Dense has (width + 1) × classes parameters. */
const FEATURES: Record<ArchName, number> = { vgg16: 4096, resnet50: 2048, inception_v3: 2048, mobilenet_v2: 1280 };

describe('parameter counts equal Keras', () => {
  it.each(ARCH_NAMES)('%s with and without top, and with 10 classes', (arch) => {
    const { withTop, withoutTop } = ARCHITECTURES[arch].params;
    expect(build(arch).countParams()).toBe(withTop);
    expect(build(arch, { includeTop: false }).countParams()).toBe(withoutTop);
    disposeBuilt();
    // VGG16's 10-class figure is checked on 32×32 below: at 224 it is another 550 MB and 6 s.
    if (arch === 'vgg16') return;
    const ten = build(arch, { classes: 10 });
    expect(ten.countParams()).toBe(withTop - 1000 * (FEATURES[arch] + 1) + 10 * (FEATURES[arch] + 1));
    expect(ten.outputs[0]!.shape).toEqual([null, 10]);
  });

  it('VGG16 on 32×32 CIFAR-sized input with 10 classes has the well-known 33,638,218', () => {
    const model = build('vgg16', { inputShape: [32, 32, 3], classes: 10 });
    // 14,714,688 convolutional + fc1 (512·4096 + 4096) + fc2 (4096·4096 + 4096) + predictions (4096·10 + 10).
    expect(model.countParams()).toBe(33_638_218);
    expect(model.outputs[0]!.shape).toEqual([null, 10]);
  });

  it('pooling adds no parameters and gives a 2-D output', () => {
    for (const pooling of ['avg', 'max'] as const) {
      const model = build('mobilenet_v2', { includeTop: false, pooling });
      expect(model.countParams()).toBe(ARCHITECTURES.mobilenet_v2.params.withoutTop);
      expect(model.outputs[0]!.shape).toEqual([null, 1280]);
    }
  });
});

describe('Keras layer names and shapes', () => {
  it('VGG16', () => {
    const model = build('vgg16', { inputShape: [32, 32, 3] });
    const names = model.layers.map((l) => l.name);
    expect(names.slice(1, 4)).toEqual(['block1_conv1', 'block1_conv2', 'block1_pool']);
    expect(names.slice(-4)).toEqual(['flatten', 'fc1', 'fc2', 'predictions']);
    expect(model.getLayer('block5_conv3').weights.map((w) => [w.originalName, w.shape])).toEqual([
      ['block5_conv3/kernel', [3, 3, 512, 512]],
      ['block5_conv3/bias', [512]],
    ]);
  });

  it('ResNet50', () => {
    const model = build('resnet50', { includeTop: false });
    const names = new Set(model.layers.map((l) => l.name));
    for (const name of ['conv1_pad', 'conv1_conv', 'conv1_bn', 'conv1_relu', 'pool1_pad', 'pool1_pool', 'conv2_block1_0_conv', 'conv2_block1_0_bn']) {
      expect(names).toContain(name);
    }
    for (const name of ['conv2_block1_1_conv', 'conv2_block1_add', 'conv2_block1_out', 'conv4_block6_out', 'conv5_block3_3_bn']) expect(names).toContain(name);
    expect(names).not.toContain('conv2_block2_0_conv'); // identity shortcut after the first block
    expect(model.outputs[0]!.shape).toEqual([null, 7, 7, 2048]);
    expect(model.getLayer('conv1_bn').weights.map((w) => w.originalName)).toEqual([
      'conv1_bn/gamma',
      'conv1_bn/beta',
      'conv1_bn/moving_mean',
      'conv1_bn/moving_variance',
    ]);
  });

  it('ResNet50 with top ends in avg_pool → predictions; pooling names follow Keras', () => {
    expect(build('resnet50').layers.slice(-2).map((l) => l.name)).toEqual(['avg_pool', 'predictions']);
    expect(build('resnet50', { includeTop: false, pooling: 'max', inputShape: [32, 32, 3] }).layers.at(-1)!.name).toBe('max_pool');
  });

  it('InceptionV3 numbers its layers like Keras 2 by default and Keras 3 on request', () => {
    const keras2 = build('inception_v3', { includeTop: false, inputShape: [75, 75, 3] });
    const names2 = new Set(keras2.layers.map((l) => l.name));
    for (const name of ['input_1', 'conv2d_1', 'conv2d_94', 'batch_normalization_94', 'activation_94', 'max_pooling2d_4', 'average_pooling2d_9', 'concatenate_2', 'mixed9_1']) {
      expect(names2).toContain(name);
    }
    for (let i = 0; i <= 10; i++) expect(names2).toContain(`mixed${i}`);
    expect(names2).not.toContain('conv2d');
    // scale=False: BatchNormalization has no gamma.
    expect(keras2.getLayer('batch_normalization_1').weights.map((w) => w.originalName)).toEqual([
      'batch_normalization_1/beta',
      'batch_normalization_1/moving_mean',
      'batch_normalization_1/moving_variance',
    ]);
    expect(keras2.getLayer('conv2d_1').weights.map((w) => w.shape)).toEqual([[3, 3, 3, 32]]);

    const keras3 = build('inception_v3', { includeTop: false, pooling: 'avg', inputShape: [75, 75, 3], inceptionNaming: 'keras3' });
    const names3 = new Set(keras3.layers.map((l) => l.name));
    for (const name of ['conv2d', 'conv2d_93', 'batch_normalization', 'concatenate', 'concatenate_1', 'global_average_pooling2d']) expect(names3).toContain(name);
    expect(names3).not.toContain('conv2d_94');
  });

  it('MobileNetV2', () => {
    const model = build('mobilenet_v2');
    const names = model.layers.map((l) => l.name);
    expect(names.slice(1, 4)).toEqual(['Conv1', 'bn_Conv1', 'Conv1_relu']);
    for (const name of ['expanded_conv_depthwise', 'expanded_conv_depthwise_BN', 'expanded_conv_project', 'block_1_expand', 'block_1_pad', 'block_2_add', 'block_16_project_BN', 'Conv_1', 'Conv_1_bn', 'out_relu']) {
      expect(names).toContain(name);
    }
    expect(names).not.toContain('block_16_add'); // 160 → 320 channels: no residual
    expect(names.slice(-2)).toEqual(['global_average_pooling2d', 'predictions']);
    expect(model.getLayer('block_1_pad').outputShape).toEqual([null, 113, 113, 96]);
  });
});

describe('forward pass at the smallest input Keras allows', () => {
  it.each(ARCH_NAMES)('%s', (arch) => {
    const side = ARCHITECTURES[arch].minInputSize;
    const model = build(arch, { includeTop: false, pooling: 'avg', inputShape: [side, side, 3] });
    const out = tf.tidy(() => model.predict(tf.ones([1, side, side, 3])) as tf.Tensor);
    expect(out.shape).toEqual(model.outputs[0]!.shape.map((d) => d ?? 1));
    expect(Array.from(out.dataSync()).every(Number.isFinite)).toBe(true);
    out.dispose();
  });

  it('softmax output sums to one; linear and null give logits', () => {
    const soft = build('mobilenet_v2', { inputShape: [32, 32, 3], classes: 4 });
    const probs = tf.tidy(() => soft.predict(tf.ones([1, 32, 32, 3])) as tf.Tensor);
    expect(probs.sum().dataSync()[0]).toBeCloseTo(1, 5);
    probs.dispose();
    expect(build('mobilenet_v2', { inputShape: [32, 32, 3], classifierActivation: null }).getLayer('predictions').getConfig().activation).toBe('linear');
  });
});

describe('options are checked like Keras', () => {
  it.each([
    ['vgg16', [31, 224, 3]],
    ['inception_v3', [74, 299, 3]],
    ['mobilenet_v2', [224, 224, 1]],
  ] as const)('%s rejects input %j', (arch, inputShape) => {
    expect(() => buildModel(tf, arch, { inputShape })).toThrow(GraftError);
  });

  it('rejects a bad number of classes with an actionable message (pooling is checked at the trust boundary)', () => {
    expect(() => buildModel(tf, 'resnet50', { classes: 0 })).toThrow(/positive whole number/);
  });
});
