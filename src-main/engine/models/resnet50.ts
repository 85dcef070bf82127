import type { LayersModel } from '@tensorflow/tfjs';
import type { ResolvedOptions } from './build-options';
import { call, optionalPooling, predictions, type Sym, type Tf } from './graph';

/** Keras ResNet v1 uses this epsilon (not the 1e-3 default) in every BatchNormalization. */
const BN_EPSILON = 1.001e-5;

/** ResNet50's four stages: bottleneck width, residual blocks, stride of the first block. */
const STAGES: readonly { name: string; filters: number; blocks: number; stride: number }[] = [
  { name: 'conv2', filters: 64, blocks: 3, stride: 1 },
  { name: 'conv3', filters: 128, blocks: 4, stride: 2 },
  { name: 'conv4', filters: 256, blocks: 6, stride: 2 },
  { name: 'conv5', filters: 512, blocks: 3, stride: 2 },
];

/** Keras `ResNet50(weights=None, …)` with its layer names (`conv1_conv`, `conv2_block1_0_bn`, …). */
export function buildResnet50(tf: Tf, options: ResolvedOptions): LayersModel {
  const input = tf.input({ shape: options.inputShape, name: 'input_layer' });
  let x: Sym = call(tf.layers.zeroPadding2d({ padding: [[3, 3], [3, 3]], name: 'conv1_pad' }), input);
  x = call(tf.layers.conv2d({ filters: 64, kernelSize: 7, strides: 2, name: 'conv1_conv' }), x);
  x = batchNorm(tf, x, 'conv1_bn');
  x = call(tf.layers.activation({ activation: 'relu', name: 'conv1_relu' }), x);
  x = call(tf.layers.zeroPadding2d({ padding: [[1, 1], [1, 1]], name: 'pool1_pad' }), x);
  x = call(tf.layers.maxPooling2d({ poolSize: 3, strides: 2, name: 'pool1_pool' }), x);
  for (const stage of STAGES) {
    x = residualBlock(tf, x, stage.filters, stage.stride, true, `${stage.name}_block1`);
    for (let i = 2; i <= stage.blocks; i++) x = residualBlock(tf, x, stage.filters, 1, false, `${stage.name}_block${i}`);
  }
  if (options.includeTop) {
    x = call(tf.layers.globalAveragePooling2d({ name: 'avg_pool' }), x);
    x = predictions(tf, x, options);
  } else {
    x = optionalPooling(tf, x, options, { avg: 'avg_pool', max: 'max_pool' });
  }
  return tf.model({ inputs: input, outputs: x, name: 'resnet50' });
}

/** Keras `residual_block_v1`: 1×1 → 3×3 → 1×1 bottleneck, projection shortcut in a stage's first block. */
function residualBlock(tf: Tf, input: Sym, filters: number, stride: number, convShortcut: boolean, name: string): Sym {
  let shortcut = input;
  if (convShortcut) {
    shortcut = call(tf.layers.conv2d({ filters: 4 * filters, kernelSize: 1, strides: stride, name: `${name}_0_conv` }), input);
    shortcut = batchNorm(tf, shortcut, `${name}_0_bn`);
  }
  let x = call(tf.layers.conv2d({ filters, kernelSize: 1, strides: stride, name: `${name}_1_conv` }), input);
  x = batchNorm(tf, x, `${name}_1_bn`);
  x = call(tf.layers.activation({ activation: 'relu', name: `${name}_1_relu` }), x);
  x = call(tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', name: `${name}_2_conv` }), x);
  x = batchNorm(tf, x, `${name}_2_bn`);
  x = call(tf.layers.activation({ activation: 'relu', name: `${name}_2_relu` }), x);
  x = call(tf.layers.conv2d({ filters: 4 * filters, kernelSize: 1, name: `${name}_3_conv` }), x);
  x = batchNorm(tf, x, `${name}_3_bn`);
  x = call(tf.layers.add({ name: `${name}_add` }), [shortcut, x]);
  return call(tf.layers.activation({ activation: 'relu', name: `${name}_out` }), x);
}

function batchNorm(tf: Tf, x: Sym, name: string): Sym {
  return call(tf.layers.batchNormalization({ axis: 3, epsilon: BN_EPSILON, name }), x);
}
