// Test support: one small model with every layer class the Keras writers carry, in the
// settings Graft's architectures and heads use them.
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import type { Tf } from '../../backend';

/**
 * input 9×9×3 → ZeroPadding2D → Conv2D (bias) → BatchNormalization (no scale) → ReLU(6) →
 * DepthwiseConv2D (bias) → Activation(relu) → two branches (MaxPooling2D / AveragePooling2D
 * 'same') → Concatenate and Add → GlobalAveragePooling2D and GlobalMaxPooling2D → Concatenate →
 * Dropout → Dense(gelu) → Dense(swish) → Dense softmax; a Flatten on the side branch feeds a
 * second Dense summed in, so Flatten is covered without changing the widths.
 */
export function layerZoo(tf: Tf): LayersModel {
  const apply = (layer: { apply(x: SymbolicTensor | SymbolicTensor[]): unknown }, x: SymbolicTensor | SymbolicTensor[]): SymbolicTensor =>
    layer.apply(x) as SymbolicTensor;
  const input = tf.input({ shape: [9, 9, 3], name: 'input_layer' });
  let x = apply(tf.layers.zeroPadding2d({ padding: [[1, 0], [0, 1]], name: 'pad' }), input);
  x = apply(tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'valid', name: 'conv' }), x);
  x = apply(tf.layers.batchNormalization({ axis: 3, epsilon: 1.001e-5, scale: false, name: 'bn' }), x);
  x = apply(tf.layers.reLU({ maxValue: 6, name: 'relu6' }), x);
  x = apply(tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: true, name: 'dw' }), x);
  x = apply(tf.layers.activation({ activation: 'relu', name: 'act' }), x);
  const maxed = apply(tf.layers.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same', name: 'max_pool' }), x);
  const averaged = apply(tf.layers.averagePooling2d({ poolSize: 3, strides: 1, padding: 'same', name: 'avg_pool' }), x);
  const joined = apply(tf.layers.concatenate({ axis: 3, name: 'mixed' }), [maxed, averaged]);
  const summed = apply(tf.layers.add({ name: 'sum' }), [maxed, averaged]);
  const gap = apply(tf.layers.globalAveragePooling2d({ name: 'gap' }), joined);
  const gmp = apply(tf.layers.globalMaxPooling2d({ name: 'gmp' }), joined);
  let v = apply(tf.layers.concatenate({ name: 'pooled' }), [gap, gmp]);
  v = apply(tf.layers.dropout({ rate: 0.25, name: 'drop' }), v);
  v = apply(tf.layers.dense({ units: 6, activation: 'gelu', name: 'dense_gelu' }), v);
  v = apply(tf.layers.dense({ units: 6, activation: 'swish', name: 'dense_swish' }), v);
  const side = apply(tf.layers.dense({ units: 6, useBias: false, name: 'side' }), apply(tf.layers.flatten({ name: 'flat' }), summed));
  v = apply(tf.layers.add({ name: 'merge' }), [v, side]);
  const out = apply(tf.layers.dense({ units: 3, activation: 'softmax', name: 'predictions' }), v);
  return tf.model({ inputs: input, outputs: out, name: 'zoo' });
}
