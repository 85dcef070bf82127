import * as tf from '@tensorflow/tfjs';
import type { LayersModel, SymbolicTensor, Variable } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../models/build-model';
import { tfjsStepper, type StepOptions } from '../../training/fit-loop';
import { setLearningRate } from '../../training/optimizers';
import { cutOf } from '../../training/training-model';
import type { OnnxRuntime } from '../ort-loader';
import { requireOnnxRuntime } from '../test-support/ort-runtime';
import { randomFloats, randomizeBatchNorms } from '../test-support/parity';
import { createOnnxStepper } from './onnx-stepper';

let runtime: OnnxRuntime;
beforeAll(async () => {
  await tf.setBackend('cpu');
  runtime = await requireOnnxRuntime();
});

const apply = (layer: { apply(x: SymbolicTensor | SymbolicTensor[]): unknown }, x: SymbolicTensor | SymbolicTensor[]) => layer.apply(x) as SymbolicTensor;

/**
 * A frozen stem, then trainable layers with every op the gradient rules cover: strided and
 * odd-sized convolutions with TensorFlow's asymmetric `same` pads, depthwise, BatchNorm, ReLU6,
 * ReLU, a residual Add, a Concatenate, zero padding, global pooling, Dense, sigmoid/tanh.
 */
function coverageModel(classes: number): LayersModel {
  const seed = (k: number) => ({ kernelInitializer: tf.initializers.glorotUniform({ seed: k }), biasInitializer: tf.initializers.randomNormal({ seed: k + 50, stddev: 0.1 }) });
  const input = tf.input({ shape: [11, 10, 3] });
  const stem = apply(tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', name: 'stem', trainable: false, ...seed(1) }), input);
  let x = apply(tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', name: 'c_stride', ...seed(2) }), stem);
  x = apply(tf.layers.batchNormalization({ name: 'bn1' }), x);
  x = apply(tf.layers.reLU({ maxValue: 6, name: 'relu6' }), x);
  const skip = x;
  let y = apply(tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', name: 'dw', depthwiseInitializer: tf.initializers.glorotUniform({ seed: 3 }) }), x);
  y = apply(tf.layers.batchNormalization({ name: 'bn2' }), y);
  y = apply(tf.layers.conv2d({ filters: 8, kernelSize: 1, name: 'pw', activation: 'relu', ...seed(4) }), y);
  x = apply(tf.layers.add({ name: 'add' }), [skip, y]);
  const z = apply(tf.layers.conv2d({ filters: 4, kernelSize: [3, 2], padding: 'same', activation: 'tanh', name: 'c_tanh', ...seed(5) }), x);
  x = apply(tf.layers.concatenate({ name: 'concat' }), [x, z]);
  x = apply(tf.layers.zeroPadding2d({ padding: [[1, 0], [0, 1]], name: 'zpad' }), x);
  x = apply(tf.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'valid', name: 'dw_stride', depthwiseInitializer: tf.initializers.glorotUniform({ seed: 6 }) }), x);
  x = apply(tf.layers.conv2d({ filters: 5, kernelSize: 2, strides: 2, padding: 'same', activation: 'sigmoid', name: 'c2', ...seed(7) }), x);
  x = apply(tf.layers.globalAveragePooling2d({ name: 'gap' }), x);
  x = apply(tf.layers.dense({ units: 7, activation: 'relu', name: 'fc', ...seed(8) }), x);
  x = apply(tf.layers.dense({ units: classes, activation: classes === 1 ? 'sigmoid' : 'softmax', name: 'predictions', ...seed(9) }), x);
  const model = tf.model({ inputs: input, outputs: x });
  randomizeBatchNorms(model);
  return model;
}

function weightsOf(model: LayersModel): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync() as Float32Array);
}

/** A copy of a model with the same weights, for a second runtime to train. */
function twin(make: () => LayersModel): [LayersModel, LayersModel] {
  const a = make();
  const b = make();
  b.setWeights(a.getWeights());
  return [a, b];
}

async function oneStepEach(make: () => LayersModel, options: StepOptions, labels: number[]) {
  const [onTfjs, onOnnx] = twin(make);
  const cutA = cutOf(tf, onTfjs, { batchNormInference: 'all' });
  const cutB = cutOf(tf, onOnnx, { batchNormInference: 'all' });
  const shape = cutA.suffix.inputs[0]!.shape.slice(1) as number[];
  const x = randomFloats(labels.length * shape.reduce((a, b) => a * b, 1), 11);
  const before = weightsOf(onTfjs);
  const sgdA = tf.train.sgd(0.5);
  const sgdB = tf.train.sgd(0.5);
  const a = await tfjsStepper(tf, cutA.suffix, sgdA, { ...options, fromLogits: cutA.fromLogits, asLogits: cutA.asLogits }).train([x], labels, 0);
  const stepper = await createOnnxStepper(tf, runtime, cutB.suffix, sgdB, { ...options, seed: 1, threads: 1 });
  const b = await stepper.train([x], labels, 0);
  const scoreA = await tfjsStepper(tf, cutA.suffix, sgdA, { ...options, fromLogits: cutA.fromLogits, asLogits: cutA.asLogits }).score([x], labels);
  const scoreB = await stepper.score([x], labels);
  await stepper.dispose();
  const result = { a, b, scoreA, scoreB, before, afterA: weightsOf(onTfjs), afterB: weightsOf(onOnnx), names: onTfjs.weights.map((w) => w.originalName) };
  cutA.dispose();
  cutB.dispose();
  onTfjs.dispose();
  onOnnx.dispose();
  return result;
}

/** Largest difference between the two runtimes' updates, relative to the largest update of that weight. */
function worstUpdateGap(r: Awaited<ReturnType<typeof oneStepEach>>): { name: string; gap: number; moved: number } {
  let worst = { name: '', gap: 0, moved: 0 };
  r.before.forEach((w0, i) => {
    let scale = 0;
    let gap = 0;
    for (let k = 0; k < w0.length; k++) {
      scale = Math.max(scale, Math.abs(r.afterA[i]![k]! - w0[k]!));
      gap = Math.max(gap, Math.abs(r.afterA[i]![k]! - r.afterB[i]![k]!));
    }
    const relative = scale > 0 ? gap / scale : gap;
    if (relative >= worst.gap) worst = { name: r.names[i]!, gap: relative, moved: scale };
  });
  return worst;
}

describe('createOnnxStepper', () => {
  it('makes the same SGD step as tfjs through every op it differentiates (softmax, smoothing, class weights)', async () => {
    const labels = [0, 2, 1, 2, 0];
    const r = await oneStepEach(() => coverageModel(3), { classWeights: [1, 2, 0.5], labelSmoothing: 0.1, output: 'softmax', fromLogits: true }, labels);
    expect(Math.abs(r.a.loss - r.b.loss)).toBeLessThan(1e-4);
    expect(r.b.hits).toBe(r.a.hits);
    expect(Math.abs(r.scoreA.lossSum - r.scoreB.lossSum)).toBeLessThan(1e-3);
    const worst = worstUpdateGap(r);
    expect(worst.gap, `${worst.name} moved ${worst.moved}`).toBeLessThan(1e-3);
    // The frozen stem and the moving statistics stayed.
    r.names.forEach((name, i) => {
      if (name.startsWith('stem') || name.includes('moving')) expect(r.afterB[i]).toEqual(r.before[i]);
    });
  });

  it('makes the same step for a one-unit sigmoid head', async () => {
    const r = await oneStepEach(() => coverageModel(1), { classWeights: [], labelSmoothing: 0, output: 'sigmoid', fromLogits: true }, [1, 0, 0, 1]);
    expect(Math.abs(r.a.loss - r.b.loss)).toBeLessThan(1e-4);
    expect(worstUpdateGap(r).gap).toBeLessThan(1e-3);
  });

  it('makes the same step on MobileNetV2 with the last block and a head trainable', async () => {
    const make = () => {
      const base = buildModel(tf, 'mobilenet_v2', { inputShape: [32, 32, 3], includeTop: false });
      randomizeBatchNorms(base);
      const pooled = apply(tf.layers.globalAveragePooling2d({ name: 'head_pool' }), base.outputs[0]!);
      const out = apply(tf.layers.dense({ units: 4, activation: 'softmax', name: 'predictions', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }), pooled);
      const model = tf.model({ inputs: base.inputs, outputs: out });
      let trainable = false;
      for (const layer of model.layers) {
        trainable ||= layer.name.startsWith('block_16');
        layer.trainable = trainable;
      }
      return model;
    };
    const r = await oneStepEach(make, { classWeights: [], labelSmoothing: 0, output: 'softmax', fromLogits: true }, [0, 1, 2, 3, 1, 0]);
    expect(Math.abs(r.a.loss - r.b.loss)).toBeLessThan(1e-4);
    expect(worstUpdateGap(r).gap).toBeLessThan(1e-3);
  });
});

describe('Adam inside the step graph', () => {
  /** Largest |a − b| over every weight of two models. */
  function weightGap(a: LayersModel, b: LayersModel): number {
    const wa = weightsOf(a);
    const wb = weightsOf(b);
    let gap = 0;
    wa.forEach((w, i) => w.forEach((v, k) => (gap = Math.max(gap, Math.abs(v - wb[i]![k]!)))));
    return gap;
  }

  it('leaves the weights and optimizer state tfjs\'s Adam leaves with the same gradients, and goes on from them', async () => {
    const [onTfjs, inGraph] = twin(() => coverageModel(3));
    const cutA = cutOf(tf, onTfjs, { batchNormInference: 'all' });
    const cutB = cutOf(tf, inGraph, { batchNormInference: 'all' });
    const adamA = tf.train.adam(0.01, 0.9, 0.999, 1e-7);
    const adamB = tf.train.adam(0.01, 0.9, 0.999, 1e-7);
    const options = { classWeights: [1, 2, 0.5], labelSmoothing: 0.1, output: 'softmax' as const, seed: 1, threads: 1 };
    const a = await createOnnxStepper(tf, runtime, cutA.suffix, adamA, { ...options, update: 'tfjs' });
    const b = await createOnnxStepper(tf, runtime, cutB.suffix, adamB, options);
    expect([a.update, b.update]).toEqual(['tfjs', 'graph']);
    const shape = cutA.suffix.inputs[0]!.shape.slice(1) as number[];
    const size = shape.reduce((x, y) => x * y, 1);
    const labels = [0, 2, 1, 2];
    const rates = [0.01, 0.004, 0.02, 0.01];
    const step = async (k: number) => {
      const x = randomFloats(labels.length * size, 20 + k);
      setLearningRate(adamA, rates[k]!);
      setLearningRate(adamB, rates[k]!);
      const [la, lb] = [await a.train([x], labels, k), await b.train([x], labels, k)];
      expect(Math.abs(la.loss - lb.loss)).toBeLessThan(1e-5);
    };
    for (let k = 0; k < 3; k++) await step(k);
    // The tfjs model has not moved yet: the graph's weights reach it at sync.
    expect(weightGap(onTfjs, inGraph)).toBeGreaterThan(1e-3);
    b.sync!();
    expect(weightGap(onTfjs, inGraph)).toBeLessThan(1e-6);
    const [stateA, stateB] = [await adamA.getWeights(), await adamB.getWeights()];
    // The same slots under the same names (tfjs numbers the variables of later models: "kernel_3").
    const plain = (name: string) => name.replace(/_\d+\/([mv])$/, '/$1');
    expect(stateB.map((w) => plain(w.name))).toEqual(stateA.map((w) => plain(w.name)));
    expect(stateB.map((w) => w.name).slice(1, 3)).toEqual(cutB.suffix.trainableWeights.slice(0, 2).map((v) => `${(v.read() as Variable).name}/m`));
    stateA.forEach((w, i) => {
      const [va, vb] = [w.tensor.dataSync(), stateB[i]!.tensor.dataSync()];
      const scale = Math.max(1e-12, ...Array.from(va, Math.abs));
      va.forEach((v, k) => expect(Math.abs(v - vb[k]!) / scale, `${w.name}[${k}]`).toBeLessThan(1e-5));
    });
    // Evaluation reads the same weights, and a fourth step continues from the written-back state.
    const x = randomFloats(labels.length * size, 40);
    expect(Math.abs((await a.score([x], labels)).lossSum - (await b.score([x], labels)).lossSum)).toBeLessThan(1e-4);
    await step(3);
    b.sync!();
    expect(weightGap(onTfjs, inGraph)).toBeLessThan(1e-6);
    expect(adamB.iterations).toBe(4);
    await Promise.all([a.dispose(), b.dispose()]);
    for (const o of [adamA, adamB]) o.dispose();
    cutA.dispose();
    cutB.dispose();
    onTfjs.dispose();
    inGraph.dispose();
  });

  it('uses weights set on the model after a sync (a checkpoint adopted for evaluation)', async () => {
    const [model, other] = twin(() => coverageModel(3));
    const cut = cutOf(tf, model, { batchNormInference: 'all' });
    const adam = tf.train.adam(0.05);
    const stepper = await createOnnxStepper(tf, runtime, cut.suffix, adam, { classWeights: [], labelSmoothing: 0, output: 'softmax', seed: 1, threads: 1 });
    const size = (cut.suffix.inputs[0]!.shape.slice(1) as number[]).reduce((x, y) => x * y, 1);
    const x = randomFloats(3 * size, 7);
    const before = await stepper.score([x], [0, 1, 2]);
    await stepper.train([x], [0, 1, 2], 0);
    stepper.sync!();
    expect((await stepper.score([x], [0, 1, 2])).lossSum).not.toBeCloseTo(before.lossSum, 6);
    // Put the untrained weights back on the model: evaluation follows the model.
    model.setWeights(other.getWeights());
    expect((await stepper.score([x], [0, 1, 2])).lossSum).toBeCloseTo(before.lossSum, 6);
    await stepper.dispose();
    adam.dispose();
    cut.dispose();
    model.dispose();
    other.dispose();
  });
});
