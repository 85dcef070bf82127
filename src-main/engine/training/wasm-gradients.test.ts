import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, Tensor, Tensor4D } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installTrainingKernels, TRAINING_KERNELS, uninstallTrainingKernels } from './wasm-gradients';
import { gradientsOf, onBoth, relativeDifference, seededValues, useBackend } from './test-support/tf-backends';

// Every check runs the same computation on wasm (with the training kernels) and on cpu (tfjs's
// reference kernels) and compares.

beforeAll(async () => {
  await useBackend('wasm');
  installTrainingKernels(tf);
});

afterAll(async () => {
  await useBackend('cpu');
});

type Input = { shape: number[]; values: Float32Array };

async function expectSameGradients(f: (...inputs: Tensor[]) => Tensor, inputs: Input[], tolerance = 1e-5): Promise<void> {
  const { wasm, cpu } = await onBoth(() => gradientsOf(f, inputs));
  expect(wasm.length).toBe(cpu.length);
  wasm.forEach((grad, i) => expect(relativeDifference(grad, cpu[i]!)).toBeLessThan(tolerance));
}

function input(shape: number[], seed: number): Input {
  return { shape, values: seededValues(shape, seed) };
}

describe('installTrainingKernels', () => {
  it('registers the missing gradient kernels on wasm, once', () => {
    for (const name of ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput']) {
      expect(tf.getKernel(name, 'wasm'), name).toBeDefined();
    }
    expect(installTrainingKernels(tf)).toEqual([]);
  });

  it('is undone by uninstallTrainingKernels, which brings the native kernels back', () => {
    uninstallTrainingKernels(tf);
    const native = { matMul: tf.getKernel('BatchMatMul', 'wasm'), cpuFilter: tf.getKernel('Conv2DBackpropFilter', 'cpu') };
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    expect(native.matMul).toBeDefined();
    expect(native.cpuFilter).toBeDefined();
    const key = (k: { kernelName: string; backendName: string }) => `${k.backendName}/${k.kernelName}`;
    expect(installTrainingKernels(tf).map(key).sort()).toEqual(TRAINING_KERNELS.map(key).sort());
    expect(tf.getKernel('BatchMatMul', 'wasm')).not.toBe(native.matMul);
    expect(tf.getKernel('Conv2DBackpropFilter', 'cpu')).not.toBe(native.cpuFilter);
  });

  it('skips a backend that is not registered', () => {
    expect(installTrainingKernels(tf, ['no-such-backend'])).toEqual([]);
  });
});

describe('gradients on wasm equal gradients on cpu', () => {
  const convCases = [
    { k: 3, stride: 2, pad: 'same' },
    { k: 3, stride: 2, pad: 'valid' },
    { k: 3, stride: 1, pad: 'same' },
    { k: 1, stride: 1, pad: 'valid' },
    { k: 1, stride: 2, pad: 'valid' },
    { k: 5, stride: 1, pad: 'valid' },
  ] as const;

  it.each(convCases)('conv2d $k×$k stride $stride $pad on 9×11', async ({ k, stride, pad }) => {
    await expectSameGradients((x, w) => tf.conv2d(x as Tensor4D, w as Tensor4D, stride, pad), [input([2, 9, 11, 3], 1), input([k, k, 3, 4], 2)]);
  });

  it.each(convCases)('depthwise $k×$k stride $stride $pad on 9×11, multiplier 1', async ({ k, stride, pad }) => {
    await expectSameGradients((x, w) => tf.depthwiseConv2d(x as Tensor4D, w as Tensor4D, stride, pad), [input([2, 9, 11, 6], 3), input([k, k, 6, 1], 4)]);
  });

  it('depthwise with multiplier 2', async () => {
    await expectSameGradients((x, w) => tf.depthwiseConv2d(x as Tensor4D, w as Tensor4D, 2, 'same'), [input([2, 7, 7, 3], 5), input([3, 3, 3, 2], 6)]);
  });

  it('matMul with every transpose combination, plain and batched', async () => {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const a = input(ta ? [5, 3] : [3, 5], 7);
      const b = input(tb ? [4, 5] : [5, 4], 8);
      await expectSameGradients((x, y) => tf.matMul(x!, y!, ta, tb), [a, b]);
      const a3 = input(ta ? [2, 5, 3] : [2, 3, 5], 9);
      const b3 = input(tb ? [2, 4, 5] : [2, 5, 4], 10);
      const { wasm, cpu } = await onBoth(() =>
        tf.tidy(() => tf.matMul(tf.tensor(a3.values, a3.shape), tf.tensor(b3.values, b3.shape), ta, tb).dataSync() as Float32Array),
      );
      expect(relativeDifference(wasm, cpu)).toBeLessThan(1e-6);
    }
  });

  it('tile: a broadcast of a per-channel vector, and a general tile (left to wasm)', async () => {
    for (const [shape, reps] of [[[1, 1, 1, 5], [2, 3, 3, 1]], [[2, 3], [2, 2]]] as const) {
      const x = input([...shape], 16);
      await expectSameGradients((t) => tf.tile(t, [...reps]), [x]);
      const { wasm, cpu } = await onBoth(() => tf.tidy(() => tf.tile(tf.tensor(x.values, x.shape), [...reps]).dataSync() as Float32Array));
      expect(wasm).toEqual(cpu);
    }
  });

  const poolCases = [
    { k: 2, s: 2, pad: 'valid' },
    { k: 3, s: 2, pad: 'valid' },
    { k: 3, s: 2, pad: 'same' },
    { k: 3, s: 1, pad: 'same' },
  ] as const;

  it.each(poolCases)('max pooling $k×$k stride $s $pad on 9×11, with ties', async ({ k, s: stride, pad }) => {
    const x = input([2, 9, 11, 4], 15);
    const tied = { shape: x.shape, values: x.values.map((v) => Math.max(0, Math.round(v))) };
    await expectSameGradients((t) => tf.maxPool(t as Tensor4D, k, stride, pad), [x]);
    await expectSameGradients((t) => tf.maxPool(t as Tensor4D, k, stride, pad), [tied]);
  });

  it('a convolution block (conv, batch norm, relu6, depthwise, pooling, dense) end to end', async () => {
    const x = input([4, 15, 15, 3], 11);
    const { wasm, cpu } = await onBoth(() => {
      const model = convBlock(21);
      const grads = tf.tidy(() => {
        const xt = tf.tensor(x.values, x.shape);
        const { grads } = tf.variableGrads(() => tf.mean(tf.square(model.apply(xt, { training: true }) as Tensor)) as tf.Scalar);
        return model.trainableWeights.map((w) => grads[w.name]!.dataSync() as Float32Array);
      });
      model.dispose();
      return grads;
    });
    expect(wasm.length).toBe(9);
    wasm.forEach((grad, i) => expect(relativeDifference(grad, cpu[i]!)).toBeLessThan(1e-4));
  });
});

describe('kernels the compositions do not cover fall back to the cpu kernel', () => {
  it('Conv2DBackpropFilter with NCHW data', async () => {
    const x = input([2, 3, 7, 7], 12);
    const dy = input([2, 4, 4, 4], 13);
    const attrs: NamedAttrMap = { strides: 2, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 3, 4] };
    const { wasm, cpu } = await onBoth(() =>
      tf.tidy(() => {
        const inputs = { x: tf.tensor(x.values, x.shape), dy: tf.tensor(dy.values, dy.shape) };
        return (tf.engine().runKernel('Conv2DBackpropFilter', inputs, attrs) as Tensor).dataSync() as Float32Array;
      }),
    );
    expect(relativeDifference(wasm, cpu)).toBeLessThan(1e-5);
  });
});

describe('training through convolutions on wasm', () => {
  it('Adam steps lower the loss and leak no tensor', () => {
    const model = convBlock(22);
    const optimizer = tf.train.adam(0.01);
    const xs = tf.tensor(seededValues([8, 15, 15, 3], 14), [8, 15, 15, 3]);
    const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3);
    const lossOf = () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as Tensor) as tf.Scalar;
    const losses: number[] = [];
    let afterFirst = 0;
    for (let step = 0; step < 15; step++) {
      const loss = optimizer.minimize(lossOf, true)!;
      losses.push(loss.dataSync()[0]!);
      loss.dispose();
      // The optimizer makes its slot variables on the first step.
      if (step === 0) afterFirst = tf.memory().numTensors;
    }
    expect(tf.memory().numTensors).toBe(afterFirst);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.8);
    tf.dispose([xs, ys]);
    optimizer.dispose();
    model.dispose();
  });
});

/** A small model with the layer kinds Keras Applications train: strided conv, BN, ReLU6, depthwise, pooling, dense. */
function convBlock(seed: number): tf.LayersModel {
  const init = (s: number) => tf.initializers.glorotUniform({ seed: seed * 10 + s });
  const input = tf.input({ shape: [15, 15, 3] });
  let x = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', useBias: false, kernelInitializer: init(1) }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ maxValue: 6 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', depthwiseInitializer: init(2) }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: 6, kernelSize: 1, activation: 'relu', kernelInitializer: init(3) }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.averagePooling2d({ poolSize: 2, strides: 1 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 3, kernelInitializer: init(4) }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}
