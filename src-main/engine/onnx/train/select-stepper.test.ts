import * as tf from '@tensorflow/tfjs';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cutOf } from '../../training/training-model';
import type { OnnxRuntime } from '../ort-loader';
import { requireOnnxRuntime } from '../test-support/ort-runtime';
import { selectStepper, type SelectStepperOptions } from './select-stepper';

let runtime: OnnxRuntime;
beforeAll(async () => {
  await tf.setBackend('cpu');
  runtime = await requireOnnxRuntime();
});

const apply = (layer: { apply(x: SymbolicTensor): unknown }, x: SymbolicTensor) => layer.apply(x) as SymbolicTensor;

/** A frozen convolution, then `middle` (trainable), then a softmax Dense. */
function model(middle: (x: SymbolicTensor) => SymbolicTensor): LayersModel {
  const input = tf.input({ shape: [6, 6, 3] });
  const stem = apply(tf.layers.conv2d({ filters: 4, kernelSize: 3, name: 'stem', trainable: false }), input);
  const out = apply(tf.layers.dense({ units: 3, activation: 'softmax', name: 'predictions' }), middle(stem));
  return tf.model({ inputs: input, outputs: out });
}

const OPTIONS: SelectStepperOptions = { choice: 'auto', seed: 1, classWeights: [], labelSmoothing: 0, output: 'softmax', threads: 1, loadOnnx: async () => ({ available: true, runtime }) };
const pooled = (x: SymbolicTensor) => apply(tf.layers.globalAveragePooling2d({}), x);

async function pick(m: LayersModel, options: Partial<SelectStepperOptions> = {}, batchNormInference: 'all' | 'frozen' = 'all') {
  const cut = cutOf(tf, m, { batchNormInference });
  const optimizer = tf.train.sgd(0.1);
  const selected = await selectStepper(tf, cut, optimizer, { ...OPTIONS, ...options });
  const result = { runtime: selected.stepper.runtime, fallbackReason: selected.fallbackReason };
  await selected.dispose();
  optimizer.dispose();
  cut.dispose();
  m.dispose();
  return result;
}

describe('selectStepper', () => {
  it('trains on ONNX Runtime when it loads and every op has a gradient', async () => {
    expect(await pick(model(pooled))).toEqual({ runtime: 'onnx', fallbackReason: null });
  });

  it('trains on tfjs when asked, when ONNX Runtime does not load, or when an op has no ONNX gradient, saying why', async () => {
    expect(await pick(model(pooled), { choice: 'tfjs' })).toEqual({ runtime: 'tfjs', fallbackReason: null });
    const missing = await pick(model(pooled), { loadOnnx: async () => ({ available: false, error: 'onnxruntime-node cannot be used: not installed' }) });
    expect(missing).toEqual({ runtime: 'tfjs', fallbackReason: 'onnxruntime-node cannot be used: not installed' });
    const maxPool = await pick(model((x) => pooled(apply(tf.layers.maxPooling2d({ poolSize: 2, name: 'pool' }), apply(tf.layers.conv2d({ filters: 2, kernelSize: 1 }), x)))));
    expect(maxPool.runtime).toBe('tfjs');
    expect(maxPool.fallbackReason).toContain('no gradient for MaxPool');
    const upsampled = await pick(model((x) => pooled(apply(tf.layers.upSampling2d({ name: 'up' }), apply(tf.layers.conv2d({ filters: 2, kernelSize: 1 }), x)))));
    expect(upsampled.fallbackReason).toContain('Layer "up" (UpSampling2D)');
  });

  it('keeps BatchNorm with batch statistics, and noise layers it does not draw, on tfjs', async () => {
    const bn = (x: SymbolicTensor) => pooled(apply(tf.layers.batchNormalization({}), x));
    expect(await pick(model(bn), {}, 'all')).toMatchObject({ runtime: 'onnx' });
    expect(await pick(model(bn), {}, 'frozen')).toEqual({ runtime: 'tfjs', fallbackReason: 'a trainable BatchNormalization uses batch statistics' });
    const noisy = await pick(model((x) => pooled(apply(tf.layers.gaussianNoise({ stddev: 0.1, name: 'noise' }), x))));
    expect(noisy.fallbackReason).toBe('layer "noise" (GaussianNoise) draws noise in training');
  });
});
