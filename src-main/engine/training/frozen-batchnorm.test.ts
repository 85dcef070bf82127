import * as tf from '@tensorflow/tfjs';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyKerasBatchNorm, isFrozenBatchNorm } from './frozen-batchnorm';
import { seededValues, useBackend } from './test-support/tf-backends';

beforeAll(async () => {
  await useBackend('cpu');
});

let models: LayersModel[] = [];
afterEach(() => {
  for (const m of models) m.dispose();
  models = [];
});

/** conv → bn_a → relu → conv → bn_b → pooling → dense, with moving statistics far from a batch's. */
function model(options: { scale?: boolean; center?: boolean } = {}): LayersModel {
  const input = tf.input({ shape: [8, 8, 3] });
  let x = tf.layers.conv2d({ filters: 4, kernelSize: 3, useBias: false, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'bn_a', ...options }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: 5, kernelSize: 3, useBias: false, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'bn_b', ...options }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }).apply(x) as tf.SymbolicTensor;
  const m = tf.model({ inputs: input, outputs: out });
  for (const [name, seed] of [['bn_a', 10], ['bn_b', 20]] as const) {
    const bn = m.getLayer(name);
    const channels = bn.weights[0]!.shape[0]!;
    // Weights in the layer's order: [gamma], [beta], moving_mean, moving_variance.
    bn.setWeights(bn.weights.map((w, i) => {
      const values = seededValues([channels], seed + i);
      return tf.tensor1d(w.originalName.endsWith('variance') ? values.map((v) => 0.5 + Math.abs(v)) : values);
    }));
  }
  models.push(m);
  return m;
}

function statistics(m: LayersModel, name: string): Float32Array[] {
  return m.getLayer(name).weights.filter((w) => /moving_(mean|variance)$/.test(w.originalName)).map((w) => w.read().dataSync() as Float32Array);
}

const batch = () => tf.tensor4d(seededValues([6, 8, 8, 3], 7), [6, 8, 8, 3]);
const labels = () => tf.oneHot(tf.tensor1d([0, 1, 0, 1, 1, 0], 'int32'), 2);

function trainSteps(m: LayersModel, steps: number): void {
  const optimizer = tf.train.sgd(0.05);
  const xs = batch();
  const ys = labels();
  for (let i = 0; i < steps; i++) {
    tf.dispose(optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, m.apply(xs, { training: true }) as Tensor) as tf.Scalar, true) ?? []);
  }
  tf.dispose([xs, ys]);
  optimizer.dispose();
}

function output(m: LayersModel, layer: string, training: boolean): Float32Array {
  return tf.tidy(() => {
    const probe = tf.model({ inputs: m.inputs, outputs: m.getLayer(layer).output as tf.SymbolicTensor });
    return (probe.apply(batch(), { training }) as Tensor).dataSync() as Float32Array;
  });
}

describe('frozen BatchNormalization runs in inference mode (Keras semantics)', () => {
  it('tfjs-layers alone does not: a frozen layer still updates its moving statistics in training', () => {
    const m = model();
    m.getLayer('bn_a').trainable = false;
    const before = statistics(m, 'bn_a');
    trainSteps(m, 2);
    expect(statistics(m, 'bn_a')).not.toEqual(before);
  });

  it('moving statistics of frozen layers stay bit-identical over training steps; trainable ones move', () => {
    const m = model();
    m.getLayer('bn_a').trainable = false;
    applyKerasBatchNorm(tf, m);
    const frozen = statistics(m, 'bn_a');
    const trainable = statistics(m, 'bn_b');
    trainSteps(m, 5);
    expect(statistics(m, 'bn_a')).toEqual(frozen);
    expect(statistics(m, 'bn_b')[0]).not.toEqual(trainable[0]);
    expect(statistics(m, 'bn_b')[1]).not.toEqual(trainable[1]);
  });

  it("a frozen layer's output in training equals its inference output", () => {
    const m = model();
    m.getLayer('bn_a').trainable = false;
    applyKerasBatchNorm(tf, m);
    expect(output(m, 'bn_a', true)).toEqual(output(m, 'bn_a', false));
    // A trainable layer still uses batch statistics in training.
    expect(output(m, 'bn_b', true)).not.toEqual(output(m, 'bn_b', false));
  });

  it('a model-level trainable = false freezes the BN layers too', () => {
    const m = model();
    applyKerasBatchNorm(tf, m);
    m.trainable = false;
    expect(isFrozenBatchNorm(m.getLayer('bn_a'))).toBe(true);
    expect(output(m, 'bn_b', true)).toEqual(output(m, 'bn_b', false));
  });

  it('follows later freezing and unfreezing without being applied again', () => {
    const m = model();
    applyKerasBatchNorm(tf, m);
    m.getLayer('bn_a').trainable = false;
    expect(output(m, 'bn_a', true)).toEqual(output(m, 'bn_a', false));
    m.getLayer('bn_a').trainable = true;
    const before = statistics(m, 'bn_a');
    trainSteps(m, 1);
    expect(statistics(m, 'bn_a')).not.toEqual(before);
  });

  it('is undone by the function it returns', () => {
    const m = model();
    m.getLayer('bn_a').trainable = false;
    const undo = applyKerasBatchNorm(tf, m);
    expect(applyKerasBatchNorm(tf, m)).toBeTypeOf('function');
    undo();
    const before = statistics(m, 'bn_a');
    trainSteps(m, 1);
    expect(statistics(m, 'bn_a')).not.toEqual(before);
  });
});

describe('trainable BatchNormalization behaves as tfjs-layers', () => {
  it('same training output and the same moving-statistics update', () => {
    const ours = model();
    const theirs = model();
    applyKerasBatchNorm(tf, ours);
    const run = (m: LayersModel) =>
      tf.tidy(() => {
        const out = (m.apply(batch(), { training: true }) as Tensor).dataSync() as Float32Array;
        return [out, ...statistics(m, 'bn_a'), ...statistics(m, 'bn_b')];
      });
    const a = run(ours);
    const b = run(theirs);
    a.forEach((values, i) => values.forEach((v, j) => expect(v).toBeCloseTo(b[i]![j]!, 5)));
    const inference = (m: LayersModel) => tf.tidy(() => (m.apply(batch(), { training: false }) as Tensor).dataSync() as Float32Array);
    inference(ours).forEach((v, j) => expect(v).toBeCloseTo(inference(theirs)[j]!, 5));
  });
});

describe('BatchNormalization without gamma or beta (InceptionV3 has scale: false)', () => {
  it.each([{ scale: false }, { center: false }])('%o trains, frozen or not', (options) => {
    const m = model(options);
    expect(() => trainSteps(m, 1)).toThrow(); // tfjs-layers reads the missing weight
    applyKerasBatchNorm(tf, m);
    const trainable = statistics(m, 'bn_b');
    trainSteps(m, 2);
    expect(statistics(m, 'bn_b')[0]).not.toEqual(trainable[0]);
    m.getLayer('bn_a').trainable = false;
    m.getLayer('bn_b').trainable = false;
    const frozen = statistics(m, 'bn_b');
    trainSteps(m, 2);
    expect(statistics(m, 'bn_b')).toEqual(frozen);
  });
});
