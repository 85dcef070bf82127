import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraftError } from '../../api/errors';
import { kerasLayerSpec, kerasVariables, WRITABLE_CLASSES, type ModelLayer } from './keras-layer-config';
import { layerZoo } from './test-support/layer-zoo';

// The keys of each class's `get_config()` in Keras 3.8 (keras/src/layers/…): what Keras 3 writes
// and `cls(**config)` takes back. Later releases add keys only when set (lora_rank, renorm,
// quantization_config…), which the writer leaves out so that every Keras 3 from 3.4 accepts it.
const BASE3 = ['name', 'trainable', 'dtype'];
const KERAS3_KEYS: Record<string, string[]> = {
  InputLayer: ['batch_shape', 'dtype', 'sparse', 'name'],
  Conv2D: [...BASE3, 'filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'groups', 'activation', 'use_bias',
    'kernel_initializer', 'bias_initializer', 'kernel_regularizer', 'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint'],
  DepthwiseConv2D: [...BASE3, 'depth_multiplier', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'activation', 'use_bias',
    'depthwise_initializer', 'bias_initializer', 'depthwise_regularizer', 'bias_regularizer', 'activity_regularizer', 'depthwise_constraint', 'bias_constraint'],
  BatchNormalization: [...BASE3, 'axis', 'momentum', 'epsilon', 'center', 'scale', 'beta_initializer', 'gamma_initializer', 'moving_mean_initializer',
    'moving_variance_initializer', 'beta_regularizer', 'gamma_regularizer', 'beta_constraint', 'gamma_constraint', 'synchronized'],
  Dense: [...BASE3, 'units', 'activation', 'use_bias', 'kernel_initializer', 'bias_initializer', 'kernel_regularizer', 'bias_regularizer',
    'kernel_constraint', 'bias_constraint'],
  ReLU: [...BASE3, 'max_value', 'negative_slope', 'threshold'],
  Activation: [...BASE3, 'activation'],
  ZeroPadding2D: [...BASE3, 'padding', 'data_format'],
  MaxPooling2D: [...BASE3, 'pool_size', 'padding', 'strides', 'data_format'],
  AveragePooling2D: [...BASE3, 'pool_size', 'padding', 'strides', 'data_format'],
  GlobalAveragePooling2D: [...BASE3, 'data_format', 'keepdims'],
  GlobalMaxPooling2D: [...BASE3, 'data_format', 'keepdims'],
  Flatten: [...BASE3, 'data_format'],
  Dropout: [...BASE3, 'rate', 'seed', 'noise_shape'],
  Add: BASE3,
  Concatenate: [...BASE3, 'axis'],
};

// Keras 3's DepthwiseConv2D.__init__ arguments (keras/src/layers/convolutional/depthwise_conv2d.py)
// plus the base Layer's keyword arguments that configs carry.
const DEPTHWISE_INIT_ARGS = ['kernel_size', 'strides', 'padding', 'depth_multiplier', 'data_format', 'dilation_rate', 'activation', 'use_bias',
  'depthwise_initializer', 'bias_initializer', 'depthwise_regularizer', 'bias_regularizer', 'activity_regularizer', 'depthwise_constraint',
  'bias_constraint', 'name', 'trainable', 'dtype'];

/** Keras 2 keys: what tf.keras 2.x and Keras 3's legacy loader both take (no groups, synchronized, keepdims). */
function keras2Keys(className: string): string[] {
  if (className === 'InputLayer') return ['batch_input_shape', 'dtype', 'sparse', 'name'];
  const keys = (KERAS3_KEYS[className] ?? []).filter((k) => !['groups', 'synchronized', 'keepdims'].includes(k));
  return className === 'Dense' ? [...keys, 'activity_regularizer'] : keys;
}

const sorted = (keys: string[]): string[] => [...keys].sort();

let zoo: tf.LayersModel;
beforeAll(async () => {
  await tf.setBackend('cpu');
  zoo = layerZoo(tf);
});
afterAll(() => zoo.dispose());

function layer(name: string): ModelLayer {
  return zoo.getLayer(name);
}

describe('Keras layer configs', () => {
  it('covers every writable class in the zoo', () => {
    expect(new Set(zoo.layers.map((l) => l.getClassName()))).toEqual(new Set(WRITABLE_CLASSES));
  });

  it('writes exactly the keys Keras 3 writes for each class', () => {
    for (const l of zoo.layers) {
      const spec = kerasLayerSpec(l, 'keras3');
      expect(`${l.name}: ${sorted(Object.keys(spec.config)).join(',')}`).toBe(`${l.name}: ${sorted(KERAS3_KEYS[spec.className] ?? []).join(',')}`);
    }
  });

  it('writes for Keras 2 only keys tf.keras 2.x and Keras 3 both accept', () => {
    for (const l of zoo.layers) {
      const spec = kerasLayerSpec(l, 'keras2');
      expect(`${l.name}: ${sorted(Object.keys(spec.config)).join(',')}`).toBe(`${l.name}: ${sorted(keras2Keys(spec.className)).join(',')}`);
    }
  });

  it('gives DepthwiseConv2D only arguments Keras 3 takes (no groups), in both flavours', () => {
    for (const flavour of ['keras3', 'keras2'] as const) {
      const keys = Object.keys(kerasLayerSpec(layer('dw'), flavour).config);
      expect(keys).not.toContain('groups');
      expect(keys.filter((k) => !DEPTHWISE_INIT_ARGS.includes(k))).toEqual([]);
    }
  });

  it('serialises settings, dtype policy, initializers and activations as Keras does', () => {
    const conv = kerasLayerSpec(layer('conv'), 'keras3').config;
    expect(conv).toMatchObject({
      name: 'conv', trainable: true, filters: 4, kernel_size: [3, 3], strides: [2, 2], padding: 'valid', data_format: 'channels_last',
      dilation_rate: [1, 1], groups: 1, activation: 'linear', use_bias: true,
      dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
      bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null },
      kernel_regularizer: null, activity_regularizer: null, kernel_constraint: null,
    });
    // tfjs's default conv initializer (glorotNormal) is a VarianceScaling drawing a truncated normal.
    expect(conv.kernel_initializer).toEqual({
      module: 'keras.initializers', class_name: 'VarianceScaling', registered_name: null,
      config: { seed: null, scale: 1, mode: 'fan_avg', distribution: 'truncated_normal' },
    });
    expect(kerasLayerSpec(layer('conv'), 'keras2').config).toMatchObject({
      dtype: 'float32', bias_initializer: { class_name: 'Zeros', config: {} },
    });
    expect(kerasLayerSpec(layer('bn'), 'keras3').config).toMatchObject({ axis: 3, epsilon: 1.001e-5, momentum: 0.99, center: true, scale: false, synchronized: false });
    expect(kerasLayerSpec(layer('relu6'), 'keras3').config).toMatchObject({ max_value: 6, negative_slope: 0, threshold: 0 });
    expect(kerasLayerSpec(layer('pad'), 'keras3').config).toMatchObject({ padding: [[1, 0], [0, 1]] });
    expect(kerasLayerSpec(layer('avg_pool'), 'keras3').config).toMatchObject({ pool_size: [3, 3], strides: [1, 1], padding: 'same' });
    expect(kerasLayerSpec(layer('gap'), 'keras3').config).toMatchObject({ keepdims: false });
    expect(kerasLayerSpec(layer('drop'), 'keras3').config).toMatchObject({ rate: 0.25, noise_shape: null, seed: null });
    expect(kerasLayerSpec(layer('pooled'), 'keras3').config).toMatchObject({ axis: -1 });
    expect(kerasLayerSpec(layer('input_layer'), 'keras3').config).toEqual({ batch_shape: [null, 9, 9, 3], dtype: 'float32', sparse: false, name: 'input_layer' });
    expect(kerasLayerSpec(layer('input_layer'), 'keras2').config).toEqual({ batch_input_shape: [null, 9, 9, 3], dtype: 'float32', sparse: false, name: 'input_layer' });
    // tfjs's swish is Keras's silu, by the name each Keras writes; gelu is the exact form in all three.
    expect(kerasLayerSpec(layer('dense_swish'), 'keras3').config.activation).toBe('silu');
    expect(kerasLayerSpec(layer('dense_swish'), 'keras2').config.activation).toBe('swish');
    expect(kerasLayerSpec(layer('dense_gelu'), 'keras3').config.activation).toBe('gelu');
    expect(kerasLayerSpec(layer('predictions'), 'keras3').config.activation).toBe('softmax');
  });

  it('writes regularizers, constraints and a frozen layer as Keras does', () => {
    const dense = tf.layers.dense({
      units: 2, name: 'reg', kernelRegularizer: tf.regularizers.l2({ l2: 0.001 }), kernelConstraint: tf.constraints.maxNorm({ maxValue: 3, axis: 0 }),
      kernelInitializer: tf.initializers.heUniform({ seed: 5 }),
    });
    dense.apply(tf.input({ shape: [4] }));
    dense.trainable = false;
    expect(kerasLayerSpec(dense, 'keras3').config).toMatchObject({
      trainable: false,
      kernel_regularizer: { module: 'keras.regularizers', class_name: 'L1L2', config: { l1: 0, l2: 0.001 }, registered_name: null },
      kernel_constraint: { module: 'keras.constraints', class_name: 'MaxNorm', config: { max_value: 3, axis: 0 }, registered_name: null },
      kernel_initializer: { class_name: 'VarianceScaling', config: { seed: 5, scale: 2, mode: 'fan_in', distribution: 'uniform' } },
    });
    expect(kerasLayerSpec(dense, 'keras2').config).toMatchObject({ kernel_regularizer: { class_name: 'L1L2', config: { l1: 0, l2: 0.001 } } });
  });

  it('refuses what a Keras file cannot carry, naming the layer and class', () => {
    const lstm = tf.layers.lstm({ units: 2, name: 'memory' });
    lstm.apply(tf.input({ shape: [3, 4] }));
    const hard = tf.layers.dense({ units: 2, activation: 'hardSigmoid', name: 'hard' });
    hard.apply(tf.input({ shape: [4] }));
    const orthogonal = tf.layers.dense({ units: 2, kernelInitializer: 'orthogonal', name: 'ortho' });
    orthogonal.apply(tf.input({ shape: [4] }));
    for (const [l, text] of [[lstm, '"memory" (LSTM)'], [hard, '"hard" (Dense) uses the "hardSigmoid" activation'], [orthogonal, '"ortho" (Dense) uses the Orthogonal initializer']] as const) {
      let caught: unknown;
      try {
        kerasLayerSpec(l, 'keras3');
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(GraftError);
      expect((caught as GraftError).code).toBe('bad-request');
      expect((caught as GraftError).message).toContain(text);
    }
  });

  it("lists variables in Keras's order under Keras's names", () => {
    const names = (name: string): string[] => kerasVariables(layer(name)).map((v) => v.name);
    expect(names('conv')).toEqual(['kernel', 'bias']);
    expect(names('bn')).toEqual(['beta', 'moving_mean', 'moving_variance']);
    expect(names('dw')).toEqual(['depthwise_kernel', 'bias']);
    expect(names('side')).toEqual(['kernel']);
    expect(names('mixed')).toEqual([]);
    for (const l of zoo.layers) {
      for (const v of kerasVariables(l)) expect(v.variable.originalName).toBe(`${l.name}/${v.name}`);
    }
  });
});
