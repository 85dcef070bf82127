import * as tf from '@tensorflow/tfjs';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchName } from '../../api/types/models';
import { blocksOf, HEAD_BLOCK } from '../models/blocks';
import { buildModel } from '../models/build-model';
import { freezeAll, setBlockTrainable, setLayerTrainable } from '../models/freeze';
import { applyKerasBatchNorm } from './frozen-batchnorm';
import { graftHead } from './head';
import { splitAtCut } from './split-at-cut';
import { relativeDifference, seededValues, useBackend } from './test-support/tf-backends';
import { installTrainingKernels } from './wasm-gradients';

beforeAll(async () => {
  await useBackend('cpu');
  installTrainingKernels(tf);
});

/** Each architecture at its smallest input, with a small head; unfrozen blocks of its "last block" plan. */
// Boundary counts: Inception's mixed10 pools mixed9 in a branch (no weights, so in the prefix)
// next to reading it directly; a single unfrozen layer inside a residual block leaves the skip
// crossing the cut as well; in mixed10 one branch's conv leaves the other three branches crossing.
const ARCHS: { arch: ArchName; size: number; lastBlocks: string[]; lastBoundaries: number; oneLayer: string; layerBoundaries: number }[] = [
  { arch: 'vgg16', size: 32, lastBlocks: ['block5'], lastBoundaries: 1, oneLayer: 'block5_conv3', layerBoundaries: 1 },
  { arch: 'resnet50', size: 32, lastBlocks: ['conv5'], lastBoundaries: 1, oneLayer: 'conv5_block3_3_conv', layerBoundaries: 2 },
  { arch: 'inception_v3', size: 75, lastBlocks: ['mixed10'], lastBoundaries: 2, oneLayer: 'conv2d_94', layerBoundaries: 4 },
  { arch: 'mobilenet_v2', size: 32, lastBlocks: ['block_16', 'Conv_1'], lastBoundaries: 1, oneLayer: 'block_15_project', layerBoundaries: 2 },
];

function withHead(arch: ArchName, size: number): LayersModel {
  const trunk = buildModel(tf, arch, { includeTop: false, inputShape: [size, size, 3] });
  return graftHead(tf, trunk, { pooling: 'avg', layers: [{ units: 16 }] }, { classes: 3, seed: 1 });
}

/** Freezes everything, then unfreezes the head plus the given blocks or layers. */
function plan(model: LayersModel, arch: ArchName, unfreeze: { blocks?: string[]; layers?: string[] }): void {
  freezeAll(model);
  for (const block of [HEAD_BLOCK, ...(unfreeze.blocks ?? [])]) setBlockTrainable(model, arch, block, true);
  for (const layer of unfreeze.layers ?? []) setLayerTrainable(model, layer, true);
}

function predict(model: LayersModel, inputs: Tensor | Tensor[]): Float32Array {
  return tf.tidy(() => (model.predict(inputs) as Tensor).dataSync() as Float32Array);
}

describe.each(ARCHS)('$arch split at its freeze cut', ({ arch, size, lastBlocks, lastBoundaries, oneLayer, layerBoundaries }) => {
  let model: LayersModel;
  let x: Tensor;
  beforeAll(() => {
    model = withHead(arch, size);
    x = tf.tensor4d(seededValues([2, size, size, 3], 3), [2, size, size, 3]);
  });
  afterAll(() => {
    model.dispose();
    x.dispose();
  });

  const cuts = [
    { name: 'head only', unfreeze: {}, boundaries: 1 },
    { name: `last block (${lastBlocks.join(' + ')})`, unfreeze: { blocks: lastBlocks }, boundaries: lastBoundaries },
    { name: `one layer (${oneLayer})`, unfreeze: { layers: [oneLayer] }, boundaries: layerBoundaries },
  ];

  it.each(cuts)('$name: suffix(prefix(x)) equals model(x); the prefix holds nothing trainable', ({ unfreeze, boundaries: expected }) => {
    plan(model, arch, unfreeze);
    const split = splitAtCut(tf, model);
    try {
      expect(split.boundary).toHaveLength(expected);
      expect(split.suffix.inputs.map((i) => i.shape.slice(1))).toEqual(split.boundary.map((b) => b.shape));
      expect(split.prefix.trainableWeights).toHaveLength(0);
      for (const name of split.prefixLayers) expect(model.getLayer(name).trainableWeights, name).toHaveLength(0);
      const suffixTrainable = new Set(split.suffix.trainableWeights.map((w) => w.name));
      expect([...suffixTrainable].sort()).toEqual(model.trainableWeights.map((w) => w.name).sort());
      const cut = tf.tidy(() => {
        const activations = split.prefix.predict(x);
        return (split.suffix.predict(activations) as Tensor).dataSync() as Float32Array;
      });
      expect(relativeDifference(cut, predict(model, x))).toBeLessThan(1e-6);
    } finally {
      split.dispose();
    }
  });
});

describe('training the suffix trains the model', () => {
  it.each([ARCHS[1]!, ARCHS[3]!])('$arch, cut through a residual connection', ({ arch, size, oneLayer }) => {
    const model = withHead(arch, size);
    const restore = applyKerasBatchNorm(tf, model);
    plan(model, arch, { layers: [oneLayer] });
    const split = splitAtCut(tf, model);
    const x = tf.tensor4d(seededValues([4, size, size, 3], 5), [4, size, size, 3]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3);
    const snapshot = () => model.weights.map((w) => ({ name: w.name, trainable: w.trainable, values: w.read().dataSync().slice() }));
    const before = snapshot();
    const activations = split.prefix.predict(x) as Tensor[];
    // Adam moves every weight with a nonzero gradient by about the rate, however small the
    // gradient: an untrained trunk's activations are tiny.
    const optimizer = tf.train.adam(0.01);
    for (let step = 0; step < 2; step++) {
      tf.dispose(optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, split.suffix.apply(activations, { training: true }) as Tensor) as tf.Scalar) ?? []);
    }
    const after = snapshot();
    const changed = after.filter((w, i) => relativeDifference(w.values, before[i]!.values) > 0).map((w) => w.name);
    const trainable = model.trainableWeights.map((w) => w.name);
    expect(changed.sort()).toEqual([...trainable].sort());
    expect(trainable.some((name) => name.includes(oneLayer))).toBe(true);
    // And the halves still compose to the (now trained) model.
    const cut = tf.tidy(() => (split.suffix.predict(split.prefix.predict(x)) as Tensor).dataSync() as Float32Array);
    expect(relativeDifference(cut, predict(model, x))).toBeLessThan(1e-6);
    tf.dispose([x, y, ...activations]);
    optimizer.dispose();
    split.dispose();
    restore();
    model.dispose();
  });
});

describe('lifetime', () => {
  it('disposing the split leaves the model working; disposing the model then frees everything', () => {
    const baseline = tf.memory().numTensors;
    const model = withHead('mobilenet_v2', 32);
    plan(model, 'mobilenet_v2', { blocks: ['Conv_1'] });
    const x = tf.tensor4d(seededValues([1, 32, 32, 3], 6), [1, 32, 32, 3]);
    const expected = predict(model, x);
    splitAtCut(tf, model).dispose();
    expect(predict(model, x)).toEqual(expected);
    model.dispose();
    x.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('refuses a model in which nothing trains', () => {
    const model = withHead('mobilenet_v2', 32);
    freezeAll(model);
    expect(() => splitAtCut(tf, model)).toThrow(/Nothing in this model trains/);
    model.dispose();
  });

  it('a model whose first layer trains has the image itself as its boundary', () => {
    const model = withHead('mobilenet_v2', 32);
    const blocks = blocksOf(model, 'mobilenet_v2');
    plan(model, 'mobilenet_v2', { layers: blocks[0]!.layers.filter((name) => name === 'Conv1') });
    const split = splitAtCut(tf, model);
    expect(split.boundary).toEqual([{ layer: model.inputs[0]!.sourceLayer.name, tensorIndex: 0, shape: [32, 32, 3] }]);
    split.dispose();
    model.dispose();
  });
});
