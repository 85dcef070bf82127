import type { LayersModel } from '@tensorflow/tfjs';
import type { ResolvedOptions } from './build-options';
import { call, channels, optionalPooling, predictions, spatialSize, type Sym, type Tf } from './graph';

/** Keras MobileNetV2 BatchNormalization settings (not the layer defaults). */
const BN = { axis: -1, epsilon: 1e-3, momentum: 0.999 } as const;

/** The 17 inverted residual blocks (alpha 1.0): output filters, stride, expansion. Block 0 is `expanded_conv`. */
const BLOCKS: readonly { filters: number; stride: number; expansion: number }[] = [
  { filters: 16, stride: 1, expansion: 1 },
  { filters: 24, stride: 2, expansion: 6 },
  { filters: 24, stride: 1, expansion: 6 },
  { filters: 32, stride: 2, expansion: 6 },
  { filters: 32, stride: 1, expansion: 6 },
  { filters: 32, stride: 1, expansion: 6 },
  { filters: 64, stride: 2, expansion: 6 },
  { filters: 64, stride: 1, expansion: 6 },
  { filters: 64, stride: 1, expansion: 6 },
  { filters: 64, stride: 1, expansion: 6 },
  { filters: 96, stride: 1, expansion: 6 },
  { filters: 96, stride: 1, expansion: 6 },
  { filters: 96, stride: 1, expansion: 6 },
  { filters: 160, stride: 2, expansion: 6 },
  { filters: 160, stride: 1, expansion: 6 },
  { filters: 160, stride: 1, expansion: 6 },
  { filters: 320, stride: 1, expansion: 6 },
];

/** Keras `MobileNetV2(alpha=1.0, weights=None, …)` with its layer names (`Conv1`, `block_1_expand`, `out_relu`, …). */
export function buildMobilenetV2(tf: Tf, options: ResolvedOptions): LayersModel {
  const input = tf.input({ shape: options.inputShape, name: 'input_layer' });
  let x = call(tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'Conv1' }), input);
  x = call(tf.layers.batchNormalization({ ...BN, name: 'bn_Conv1' }), x);
  x = call(tf.layers.reLU({ maxValue: 6, name: 'Conv1_relu' }), x);
  BLOCKS.forEach((block, id) => {
    x = invertedResidual(tf, x, block.filters, block.stride, block.expansion, id);
  });
  x = call(tf.layers.conv2d({ filters: 1280, kernelSize: 1, useBias: false, name: 'Conv_1' }), x);
  x = call(tf.layers.batchNormalization({ ...BN, name: 'Conv_1_bn' }), x);
  x = call(tf.layers.reLU({ maxValue: 6, name: 'out_relu' }), x);
  if (options.includeTop) {
    x = call(tf.layers.globalAveragePooling2d({ name: 'global_average_pooling2d' }), x);
    x = predictions(tf, x, options);
  } else {
    x = optionalPooling(tf, x, options, { avg: 'global_average_pooling2d', max: 'global_max_pooling2d' });
  }
  return tf.model({ inputs: input, outputs: x, name: `mobilenetv2_1.00_${options.inputShape[0]}` });
}

/** Keras `_inverted_res_block`: expand (1×1) → depthwise 3×3 → project (1×1), plus a residual add when shapes allow. */
function invertedResidual(tf: Tf, input: Sym, filters: number, stride: number, expansion: number, id: number): Sym {
  const inChannels = channels(input);
  let x = input;
  let prefix = 'expanded_conv_';
  if (id > 0) {
    prefix = `block_${id}_`;
    x = call(tf.layers.conv2d({ filters: expansion * inChannels, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}expand` }), x);
    x = call(tf.layers.batchNormalization({ ...BN, name: `${prefix}expand_BN` }), x);
    x = call(tf.layers.reLU({ maxValue: 6, name: `${prefix}expand_relu` }), x);
  }
  if (stride === 2) x = call(tf.layers.zeroPadding2d({ padding: correctPad(x), name: `${prefix}pad` }), x);
  x = call(
    tf.layers.depthwiseConv2d({
      kernelSize: 3,
      strides: stride,
      useBias: false,
      padding: stride === 1 ? 'same' : 'valid',
      name: `${prefix}depthwise`,
    }),
    x,
  );
  x = call(tf.layers.batchNormalization({ ...BN, name: `${prefix}depthwise_BN` }), x);
  x = call(tf.layers.reLU({ maxValue: 6, name: `${prefix}depthwise_relu` }), x);
  x = call(tf.layers.conv2d({ filters, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}project` }), x);
  x = call(tf.layers.batchNormalization({ ...BN, name: `${prefix}project_BN` }), x);
  if (inChannels === filters && stride === 1) return call(tf.layers.add({ name: `${prefix}add` }), [input, x]);
  return x;
}

/** Keras `imagenet_utils.correct_pad` for a 3×3 stride-2 convolution: pad one less on top/left for even sizes. */
function correctPad(x: Sym): [[number, number], [number, number]] {
  const [height, width] = spatialSize(x);
  // Keras: (k//2 - adjust, k//2) with adjust = 1 - size % 2, i.e. (size % 2, 1) for k = 3.
  return [
    [height % 2, 1],
    [width % 2, 1],
  ];
}
