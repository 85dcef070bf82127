import * as tf from '@tensorflow/tfjs';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchNormBatch, batchNormMoving, channelSums } from './batchnorm-ops';
import { applyKerasBatchNorm } from './frozen-batchnorm';
import { installTrainingKernels } from './wasm-gradients';
import { gradientsOf, onBoth, relativeDifference, seededValues, useBackend } from './test-support/tf-backends';

// The fast BatchNorm ops run on wasm; tfjs's own batchNorm and moments on cpu are the reference.

beforeAll(async () => {
  await useBackend('wasm');
  // The models' convolutions need their gradient kernels on wasm.
  installTrainingKernels(tf);
});

afterAll(async () => {
  await useBackend('cpu');
});

const SHAPE = [3, 5, 4, 6];
const C = SHAPE[3]!;
const input = (shape: number[], seed: number) => ({ shape, values: seededValues(shape, seed) });
// x away from zero mean, so that centring matters; a variance vector that is positive.
const x = { shape: SHAPE, values: seededValues(SHAPE, 1).map((v) => 2 + 3 * v) };
const scale = input([C], 2);
const offset = input([C], 3);
const mean = input([C], 4);
const variance = { shape: [C], values: seededValues([C], 5).map((v) => 0.5 + Math.abs(v)) };
const EPSILON = 1e-3;

function expectClose(actual: Float32Array[], expected: Float32Array[], tolerance: number): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((values, i) => expect(relativeDifference(values, expected[i]!), `output ${i}`).toBeLessThan(tolerance));
}

describe('channelSums', () => {
  it('sums every axis but the last', () => {
    const [sums, reference] = tf.tidy(() => {
      const t = tf.tensor(x.values, x.shape);
      return [channelSums(tf, t).dataSync() as Float32Array, tf.sum(t, [0, 1, 2]).dataSync() as Float32Array];
    });
    expect(relativeDifference(sums, reference)).toBeLessThan(1e-6);
  });
});

describe('batchNormMoving (inference mode)', () => {
  const m = () => tf.tensor(mean.values, mean.shape);
  const v = () => tf.tensor(variance.values, variance.shape);

  it("has tfjs batchNorm's values and gradients for x, scale and offset", async () => {
    const ours = (xs: Tensor, s: Tensor, o: Tensor) => batchNormMoving(tf, xs, { mean: m(), variance: v(), scale: s, offset: o, epsilon: EPSILON });
    const stock = (xs: Tensor, s: Tensor, o: Tensor) => tf.batchNorm(xs, m(), v(), o, s, EPSILON);
    const inputs = [x, scale, offset];
    const values = await onBoth(
      () => [tf.tidy(() => ours(...inputs.map((i) => tf.tensor(i.values, i.shape)) as [Tensor, Tensor, Tensor]).dataSync() as Float32Array)],
      () => [tf.tidy(() => stock(...inputs.map((i) => tf.tensor(i.values, i.shape)) as [Tensor, Tensor, Tensor]).dataSync() as Float32Array)],
    );
    expectClose(values.wasm, values.cpu, 1e-6);
    const gradients = await onBoth(
      () => gradientsOf(ours, inputs),
      () => gradientsOf(stock, inputs),
    );
    expectClose(gradients.wasm, gradients.cpu, 1e-5);
  });
});

describe('batchNormBatch (training mode)', () => {
  const stock = (xs: Tensor, s: Tensor, o: Tensor) => {
    const { mean: bm, variance: bv } = tf.moments(xs, [0, 1, 2]);
    return tf.batchNorm(xs, bm, bv, o, s, EPSILON);
  };
  const inputs = [x, scale, offset];
  const tensors = () => inputs.map((i) => tf.tensor(i.values, i.shape)) as [Tensor, Tensor, Tensor];

  it('has the values, batch statistics and gradients (through the statistics) of moments and batchNorm', async () => {
    const values = await onBoth(
      () =>
        tf.tidy(() => {
          const out = batchNormBatch(tf, ...tensors(), EPSILON);
          return [out.output, out.mean, out.variance].map((t) => t.dataSync() as Float32Array);
        }),
      () =>
        tf.tidy(() => {
          const [xs, s, o] = tensors();
          const moments = tf.moments(xs, [0, 1, 2]);
          return [stock(xs, s, o), moments.mean, moments.variance].map((t) => t.dataSync() as Float32Array);
        }),
    );
    expectClose(values.wasm, values.cpu, 1e-5);
    const gradients = await onBoth(
      () => gradientsOf((xs, s, o) => batchNormBatch(tf, xs, s, o, EPSILON).output, inputs),
      () => gradientsOf(stock, inputs),
    );
    expectClose(gradients.wasm, gradients.cpu, 1e-4);
  });

  it('leaves no tensor behind', () => {
    const [xs, s, o] = tensors();
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const out = batchNormBatch(tf, xs, s, o, EPSILON);
      return out.output.add(out.mean.sum()).add(out.variance.sum());
    }).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([xs, s, o]);
  });
});

describe('BatchNormalization layers on wasm (the fast path of applyKerasBatchNorm)', () => {
  /** conv → bn → relu → gap → dense, moving statistics far from a batch's. */
  function model(): LayersModel {
    const inputLayer = tf.input({ shape: [6, 6, 3] });
    let h = tf.layers.conv2d({ filters: 4, kernelSize: 3, useBias: false, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }).apply(inputLayer) as tf.SymbolicTensor;
    h = tf.layers.batchNormalization({ name: 'bn' }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.reLU().apply(h) as tf.SymbolicTensor;
    h = tf.layers.globalAveragePooling2d({}).apply(h) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }).apply(h) as tf.SymbolicTensor;
    const m = tf.model({ inputs: inputLayer, outputs: out });
    const bn = m.getLayer('bn');
    bn.setWeights(bn.weights.map((w, i) => tf.tensor1d(seededValues([4], 10 + i).map((v) => (w.originalName.endsWith('variance') ? 0.5 + Math.abs(v) : v)))));
    applyKerasBatchNorm(tf, m);
    return m;
  }
  const images = seededValues([5, 6, 6, 3], 7);

  /** Output, every weight's gradient and the moving statistics after one training-mode call, for a frozen or trainable BN. */
  function run(frozen: boolean): Float32Array[] {
    const m = model();
    m.getLayer('bn').trainable = !frozen;
    const result = tf.tidy(() => {
      const batch = tf.tensor4d(images, [5, 6, 6, 3]);
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(m.apply(batch, { training: true }) as Tensor)) as tf.Scalar);
      const statistics = m.getLayer('bn').weights.filter((w) => /moving_/.test(w.originalName)).map((w) => w.read());
      return [value, ...m.trainableWeights.map((w) => grads[w.name]!), ...statistics].map((t) => t.dataSync() as Float32Array);
    });
    m.dispose();
    return result;
  }

  it.each([{ frozen: true }, { frozen: false }])('frozen $frozen: the same loss, gradients and moving statistics as on cpu', async ({ frozen }) => {
    const { wasm, cpu } = await onBoth(
      () => run(frozen),
      () => run(frozen),
    );
    expectClose(wasm, cpu, 1e-4);
  });
});
