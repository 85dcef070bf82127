import type { LayersModel } from '@tensorflow/tfjs';
import type { ResolvedOptions } from './build-options';
import { call, optionalPooling, predictions, type Sym, type Tf } from './graph';

/** Filters and convolution count of VGG16's five blocks. */
const BLOCKS: readonly { filters: number; convs: number }[] = [
  { filters: 64, convs: 2 },
  { filters: 128, convs: 2 },
  { filters: 256, convs: 3 },
  { filters: 512, convs: 3 },
  { filters: 512, convs: 3 },
];

/** Keras `VGG16(weights=None, …)` with its layer names (`block1_conv1` … `fc1`, `fc2`, `predictions`). */
export function buildVgg16(tf: Tf, options: ResolvedOptions): LayersModel {
  const input = tf.input({ shape: options.inputShape, name: 'input_layer' });
  let x: Sym = input;
  BLOCKS.forEach(({ filters, convs }, b) => {
    const block = `block${b + 1}`;
    for (let c = 1; c <= convs; c++) {
      x = call(tf.layers.conv2d({ filters, kernelSize: 3, activation: 'relu', padding: 'same', name: `${block}_conv${c}` }), x);
    }
    x = call(tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `${block}_pool` }), x);
  });
  if (options.includeTop) {
    x = call(tf.layers.flatten({ name: 'flatten' }), x);
    x = call(tf.layers.dense({ units: 4096, activation: 'relu', name: 'fc1' }), x);
    x = call(tf.layers.dense({ units: 4096, activation: 'relu', name: 'fc2' }), x);
    x = predictions(tf, x, options);
  } else {
    x = optionalPooling(tf, x, options, { avg: 'global_average_pooling2d', max: 'global_max_pooling2d' });
  }
  return tf.model({ inputs: input, outputs: x, name: 'vgg16' });
}
