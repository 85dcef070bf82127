import * as tf from '@tensorflow/tfjs';
import type { LayersModel, Tensor, Tensor4D } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installTrainingKernels } from './wasm-gradients';
import { gradientsOf, onBoth, relativeDifference, seededValues, useBackend } from './test-support/tf-backends';
import { applyWasmLayerGradients, cappedRelu, spatialMean } from './wasm-layer-gradients';

// The fast calls run on wasm; tfjs's own ops on cpu are the reference.

beforeAll(async () => {
  await useBackend('wasm');
  // The models' convolutions need their gradient kernels on wasm.
  installTrainingKernels(tf);
});

afterAll(async () => {
  await useBackend('cpu');
});

/** Values around both kinks, the kinks themselves included (0 and the cap), and far from them. */
function aroundKinks(cap: number): Float32Array {
  const values = [-3, -1e-7, 0, 1e-7, 0.5, cap - 1e-6, cap, cap + 1e-6, cap + 2, Math.fround(cap * 0.999)];
  const noise = seededValues([14], 1).map((v) => v * cap);
  return Float32Array.from([...values, ...noise]);
}

describe('cappedRelu', () => {
  it.each([6, 1.5])('cap %d: values and the gradient are exactly those of relu then clipByValue, at the kinks too', async (cap) => {
    const xs = { shape: [4, 6], values: aroundKinks(cap) };
    const stock = (t: Tensor) => tf.clipByValue(tf.relu(t), 0, cap);
    const values = await onBoth(
      () => tf.tidy(() => cappedRelu(tf, tf.tensor(xs.values, xs.shape), cap).dataSync() as Float32Array),
      () => tf.tidy(() => stock(tf.tensor(xs.values, xs.shape)).dataSync() as Float32Array),
    );
    expect(values.wasm).toEqual(values.cpu);
    const gradients = await onBoth(
      () => gradientsOf((t) => cappedRelu(tf, t, cap), [xs]),
      () => gradientsOf(stock, [xs]),
    );
    // Equal as numbers: where the mask is 0 ours is dy · 0, which keeps dy's sign on a zero.
    const plain = (arrays: Float32Array[]) => arrays.map((a) => Array.from(a, (v) => v + 0));
    expect(plain(gradients.wasm)).toEqual(plain(gradients.cpu));
  });
});

describe('spatialMean', () => {
  it("has tf.mean's values and gradient over height and width", async () => {
    const xs = { shape: [3, 4, 5, 6], values: seededValues([3, 4, 5, 6], 2) };
    const values = await onBoth(
      () => tf.tidy(() => spatialMean(tf, tf.tensor4d(xs.values, [3, 4, 5, 6])).dataSync() as Float32Array),
      () => tf.tidy(() => tf.mean(tf.tensor4d(xs.values, [3, 4, 5, 6]), [1, 2]).dataSync() as Float32Array),
    );
    expect(relativeDifference(values.wasm, values.cpu)).toBeLessThan(1e-6);
    const gradients = await onBoth(
      () => gradientsOf((t) => spatialMean(tf, t as Tensor4D), [xs]),
      () => gradientsOf((t) => tf.mean(t, [1, 2]), [xs]),
    );
    expect(relativeDifference(gradients.wasm[0]!, gradients.cpu[0]!)).toBeLessThan(1e-6);
  });
});

describe('applyWasmLayerGradients', () => {
  /** conv (bias) → ReLU6 → conv (no bias, strided) → conv (relu) → ReLU (no cap) → global average pooling → dense. */
  function model(): LayersModel {
    const input = tf.input({ shape: [7, 7, 2] });
    const init = (seed: number) => ({ kernelInitializer: tf.initializers.glorotUniform({ seed }), biasInitializer: tf.initializers.randomNormal({ seed: seed + 10 }) });
    let h = tf.layers.conv2d({ filters: 3, kernelSize: 3, ...init(1), name: 'conv' }).apply(input) as tf.SymbolicTensor;
    h = tf.layers.reLU({ maxValue: 6, name: 'relu6' }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', useBias: false, ...init(3), name: 'conv_no_bias' }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.conv2d({ filters: 4, kernelSize: 1, activation: 'relu', ...init(4), name: 'conv_relu' }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.reLU({ name: 'relu' }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(h) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }), name: 'dense' }).apply(h) as tf.SymbolicTensor;
    return tf.model({ inputs: input, outputs: out });
  }
  const images = seededValues([4, 7, 7, 2], 3).map((v) => 8 * v);

  /** The loss, the weights' gradients, and the kernels the step ran. */
  async function step(m: LayersModel): Promise<{ values: Float32Array[]; kernels: string[] }> {
    let values: Float32Array[] = [];
    const profile = await tf.profile(() => {
      values = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(m.apply(tf.tensor4d(images, [4, 7, 7, 2])) as Tensor)) as tf.Scalar);
        return [value, ...m.trainableWeights.map((w) => grads[w.name]!)].map((t) => t.dataSync() as Float32Array);
      });
    });
    return { values, kernels: profile.kernels.map((k) => k.name) };
  }

  it('patches the capped ReLU, the pooling and the linear convolutions only; on wasm no boolean kernel, no input gradient for the first layer; equal to cpu', async () => {
    const m = model();
    const undo = applyWasmLayerGradients(tf, m);
    try {
      const patched = m.layers.filter((l) => Object.prototype.hasOwnProperty.call(l, 'call')).map((l) => l.name);
      const expected = ['conv', 'conv_no_bias', 'gap', 'relu6'];
      expect(patched.sort()).toEqual(expected);
      // Applying again changes nothing.
      const again = applyWasmLayerGradients(tf, m);
      again();
      expect(m.layers.filter((l) => Object.prototype.hasOwnProperty.call(l, 'call')).map((l) => l.name).sort()).toEqual(expected);
      await useBackend('wasm');
      const wasmRun = await step(m);
      await useBackend('cpu');
      const cpuRun = await step(m);
      await useBackend('wasm');
      expect(wasmRun.kernels).not.toContain('LogicalAnd');
      expect(wasmRun.kernels).not.toContain('ClipByValue');
      expect(wasmRun.kernels).toContain('Relu6');
      // The first convolution reads the model's input: only the two later ones pass a gradient back.
      expect(wasmRun.kernels.filter((k) => k === 'Conv2DBackpropInput')).toHaveLength(2);
      expect(wasmRun.kernels).not.toContain('FusedConv2D');
      // On cpu the layers run their own calls.
      expect(cpuRun.kernels).toContain('ClipByValue');
      wasmRun.values.forEach((v, i) => expect(relativeDifference(v, cpuRun.values[i]!), `output ${i}`).toBeLessThan(1e-5));
    } finally {
      undo();
      m.dispose();
    }
    expect(m.layers.some((l) => Object.prototype.hasOwnProperty.call(l, 'call'))).toBe(false);
  });
});
