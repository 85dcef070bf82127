import * as tf from '@tensorflow/tfjs';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchName } from '../../api/types/models';
import { HEAD_BLOCK } from '../models/blocks';
import { buildModel } from '../models/build-model';
import { freezeAll, setBlockTrainable } from '../models/freeze';
import { applyKerasBatchNorm, isBatchNorm } from './frozen-batchnorm';
import { graftHead } from './head';
import { splitAtCut, type ModelSplit } from './split-at-cut';
import { trainStep } from './train-step';
import { relativeDifference, seededValues, useBackend } from './test-support/tf-backends';
import { installTrainingKernels } from './wasm-gradients';

// Every architecture fine-tunes its last block on wasm: the suffix's gradients equal the cpu
// backend's, and training steps lower the loss. This is the end-to-end check of the wasm
// gradient kernels, the Keras BatchNorm semantics and the split together.

const CASES: { arch: ArchName; size: number; blocks: string[] }[] = [
  { arch: 'vgg16', size: 32, blocks: ['block5'] },
  { arch: 'resnet50', size: 32, blocks: ['conv5'] },
  { arch: 'inception_v3', size: 75, blocks: ['mixed10'] },
  { arch: 'mobilenet_v2', size: 32, blocks: ['block_16', 'Conv_1'] },
];

const LABELS = [0, 1, 2, 1];

beforeAll(async () => {
  await useBackend('wasm');
  installTrainingKernels(tf);
});

afterAll(async () => {
  await useBackend('cpu');
});

describe.each(CASES)('$arch with $blocks unfrozen', ({ arch, size, blocks }) => {
  let model: LayersModel;
  let split: ModelSplit;
  let activations: Tensor[];
  let restore: () => void;

  beforeAll(async () => {
    await useBackend('wasm');
    const trunk = buildModel(tf, arch, { includeTop: false, inputShape: [size, size, 3] });
    model = graftHead(tf, trunk, { pooling: 'avg', layers: [{ units: 32, dropout: 0.2 }] }, { classes: 3, seed: 2 });
    restore = applyKerasBatchNorm(tf, model);
    freezeAll(model);
    for (const block of [...blocks, HEAD_BLOCK]) setBlockTrainable(model, arch, block, true);
    split = splitAtCut(tf, model);
    const x = tf.tensor4d(seededValues([4, size, size, 3], 8), [4, size, size, 3]);
    activations = [split.prefix.predict(x)].flat() as Tensor[];
    x.dispose();
  });

  afterAll(async () => {
    await useBackend('wasm');
    tf.dispose(activations);
    split.dispose();
    restore();
    model.dispose();
  });

  it('suffix gradients on wasm equal those on cpu (BatchNorm frozen)', { timeout: 180_000 }, async () => {
    const bn = model.layers.filter((l) => isBatchNorm(l) && l.trainable);
    for (const layer of bn) layer.trainable = false;
    // Dropout would draw different masks on the two backends: compare in inference mode.
    // Two images keep the cpu side short.
    const gradients = () =>
      tf.tidy(() => {
        const y = tf.oneHot(tf.tensor1d(LABELS.slice(0, 2), 'int32'), 3);
        const few = activations.map((a) => tf.slice(a, 0, 2));
        const { grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, split.suffix.apply(few, { training: false }) as Tensor) as tf.Scalar);
        return split.suffix.trainableWeights.map((w) => grads[w.name]!.dataSync() as Float32Array);
      });
    const onWasm = gradients();
    await useBackend('cpu');
    const onCpu = gradients();
    await useBackend('wasm');
    for (const layer of bn) layer.trainable = true;
    expect(onWasm.length).toBeGreaterThan(2);
    onWasm.forEach((g, i) => expect(relativeDifference(g, onCpu[i]!), split.suffix.trainableWeights[i]!.name).toBeLessThan(1e-4));
  });

  it('training steps on wasm lower the loss (BatchNorm of the block trainable)', () => {
    // Judged in inference mode: dropout makes the training-mode loss of one batch noisy.
    const inferenceLoss = () =>
      tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(LABELS, 'int32'), 3), split.suffix.predict(activations) as Tensor).dataSync()[0]!);
    const before = inferenceLoss();
    const optimizer = tf.train.adam(1e-3);
    for (let step = 0; step < 6; step++) expect(Number.isFinite(trainStep(tf, split.suffix, optimizer, activations, LABELS).loss)).toBe(true);
    optimizer.dispose();
    expect(inferenceLoss()).toBeLessThan(before);
  });
});
