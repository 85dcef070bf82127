import * as tf from '@tensorflow/tfjs';
import type { LayersModel, Scalar, Tensor } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchName } from '../../api/types/models';
import type { FreezePlan } from '../../api/types/runs';
import { createTfjsFrozenForward } from '../inference/frozen-forward';
import { buildModel } from '../models/build-model';
import { trainStep, type StepOptions } from './fit-loop';
import { applyFreezePlan } from './freeze-plan';
import { relativeDifference, seededValues, useBackend } from './test-support/tf-backends';
import { buildTrainingModel, cutOf, type FreezeCut } from './training-model';
import { installTrainingKernels } from './wasm-gradients';

// Every architecture, cut where the pipeline cuts it (applyFreezePlan, then cutOf as a stage
// does, the prefix run by the tfjs frozen forward): suffix(prefix(x)) is model(x) for a
// head-only, a last-block and a one-layer plan; training the suffix trains exactly the model's
// trainable weights; and the last block fine-tunes on wasm with gradients equal to cpu's. This is
// the end-to-end check of the wasm gradient kernels, the Keras BatchNorm semantics and the cut.
// One model per architecture at its smallest input serves every case.

// Boundary counts: Inception's mixed10 pools mixed9 in a branch (no weights, so in the prefix)
// next to reading it directly; a single unfrozen layer inside a residual block leaves the skip
// crossing the cut as well; in mixed10 one branch's conv leaves the other three branches crossing.
const ARCHS: { arch: ArchName; size: number; lastBlocks: string[]; lastBoundaries: number; oneLayer: string; layerBoundaries: number }[] = [
  { arch: 'vgg16', size: 32, lastBlocks: ['block5'], lastBoundaries: 1, oneLayer: 'block5_conv3', layerBoundaries: 1 },
  { arch: 'resnet50', size: 32, lastBlocks: ['conv5'], lastBoundaries: 1, oneLayer: 'conv5_block3_3_conv', layerBoundaries: 2 },
  { arch: 'inception_v3', size: 75, lastBlocks: ['mixed10'], lastBoundaries: 2, oneLayer: 'conv2d_94', layerBoundaries: 4 },
  { arch: 'mobilenet_v2', size: 32, lastBlocks: ['block_16', 'Conv_1'], lastBoundaries: 1, oneLayer: 'block_15_project', layerBoundaries: 2 },
];

const LABELS = [0, 1, 2, 1];
const STEP: StepOptions = { classWeights: [], output: 'softmax', fromLogits: false, labelSmoothing: 0 };

beforeAll(async () => {
  await useBackend('wasm');
  installTrainingKernels(tf);
});

afterAll(async () => {
  await useBackend('cpu');
});

/** The cut's inputs as tensors (one per boundary), from the frozen forward's flat arrays. */
function tensorsOf(cut: FreezeCut, inputs: Float32Array[], n: number): Tensor[] {
  return inputs.map((values, i) => tf.tensor(values, [n, ...(cut.suffix.inputs[i]!.shape.slice(1) as number[])]));
}

function predict(model: LayersModel, inputs: Tensor | Tensor[]): Float32Array {
  return tf.tidy(() => (model.predict(inputs) as Tensor).dataSync() as Float32Array);
}

function snapshot(model: LayersModel): { name: string; values: Float32Array }[] {
  return model.weights.map((w) => ({ name: w.name, values: w.read().dataSync().slice() as Float32Array }));
}

describe.each(ARCHS)('$arch cut at its freeze cut', ({ arch, size, lastBlocks, lastBoundaries, oneLayer, layerBoundaries }) => {
  let model: LayersModel;
  const images = seededValues([LABELS.length, size, size, 3], 3);
  let x: Tensor;

  beforeAll(async () => {
    await useBackend('wasm');
    const trunk = buildModel(tf, arch, { includeTop: false, inputShape: [size, size, 3] });
    // No dropout: the loss-lowering check wants steps without noise (dropout is tested in training-model.test.ts).
    model = buildTrainingModel(tf, trunk, { pooling: 'avg', layers: [{ units: 16 }] }, 3, 1);
    x = tf.tensor4d(images, [LABELS.length, size, size, 3]);
  });

  afterAll(async () => {
    await useBackend('wasm');
    x.dispose();
    model.dispose();
  });

  /** Applies a plan and cuts as a stage does; the prefix's outputs for the test images. */
  async function cutFor(plan: FreezePlan): Promise<{ cut: FreezeCut; inputs: Float32Array[] }> {
    applyFreezePlan(model, arch, plan);
    const cut = cutOf(tf, model, { batchNormInference: 'all' });
    const forward = createTfjsFrozenForward(tf, model, { outputs: cut.boundary });
    try {
      expect(forward.outputShapes).toEqual(cut.suffix.inputs.map((i) => i.shape.slice(1)));
      return { cut, inputs: await forward.run(images, LABELS.length) };
    } catch (error) {
      cut.dispose();
      throw error;
    } finally {
      forward.dispose();
    }
  }

  /** suffix(prefix(x)) against model(x). */
  function composedDifference(cut: FreezeCut, inputs: Float32Array[]): number {
    const xs = tensorsOf(cut, inputs, LABELS.length);
    const composed = predict(cut.suffix, xs);
    tf.dispose(xs);
    return relativeDifference(composed, predict(model, x));
  }

  const plans: { name: string; plan: FreezePlan; boundaries: number }[] = [
    { name: 'head only', plan: { kind: 'head-only' }, boundaries: 1 },
    { name: `last block (${lastBlocks.join(' + ')})`, plan: { kind: 'blocks', blocks: lastBlocks }, boundaries: lastBoundaries },
    { name: `one layer (${oneLayer})`, plan: { kind: 'layers', layers: [oneLayer] }, boundaries: layerBoundaries },
  ];

  it.each(plans)('$name: suffix(prefix(x)) equals model(x); the prefix holds nothing trainable', async ({ plan, boundaries }) => {
    const { cut, inputs } = await cutFor(plan);
    try {
      expect(cut.boundary).toHaveLength(boundaries);
      if (plan.kind === 'head-only') expect(cut.boundary).toEqual(['head_pool']);
      for (const name of cut.prefixLayers) expect(model.getLayer(name).trainableWeights, name).toHaveLength(0);
      expect(cut.suffix.trainableWeights.map((w) => w.name).sort()).toEqual(model.trainableWeights.map((w) => w.name).sort());
      expect(composedDifference(cut, inputs)).toBeLessThan(1e-6);
    } finally {
      cut.dispose();
    }
  });

  it(`training the suffix of the one-layer cut trains exactly the model's trainable weights`, async () => {
    const { cut, inputs } = await cutFor({ kind: 'layers', layers: [oneLayer] });
    try {
      const before = snapshot(model);
      // Adam moves every weight with a nonzero gradient by about the rate, however small the
      // gradient: an untrained trunk's activations are tiny.
      const optimizer = tf.train.adam(0.01);
      for (let step = 0; step < 2; step++) expect(Number.isFinite(trainStep(tf, cut.suffix, optimizer, inputs, LABELS, STEP).loss)).toBe(true);
      optimizer.dispose();
      // Pretrained BatchNorm statistics stay (inference mode under the cut): only trainable weights move.
      const changed = snapshot(model)
        .filter((w, i) => relativeDifference(w.values, before[i]!.values) > 0)
        .map((w) => w.name);
      const trainable = model.trainableWeights.map((w) => w.name);
      expect(changed.sort()).toEqual([...trainable].sort());
      expect(trainable.some((name) => name.includes(oneLayer))).toBe(true);
      // And the halves still compose to the (now trained) model.
      expect(composedDifference(cut, inputs)).toBeLessThan(1e-6);
    } finally {
      cut.dispose();
    }
  });

  describe(`last block (${lastBlocks.join(' + ')}) on wasm`, () => {
    let cut: FreezeCut;
    let inputs: Float32Array[];
    beforeAll(async () => {
      await useBackend('wasm');
      ({ cut, inputs } = await cutFor({ kind: 'blocks', blocks: lastBlocks }));
    });
    afterAll(() => cut.dispose());

    it('suffix gradients on wasm equal those on cpu (BatchNorm scale and offset included)', async () => {
      // Two images keep the cpu side short.
      // Read outside tidy: tidy walks a returned typed array element by element (seconds for millions).
      const gradients = () => {
        const tensors = tf.tidy(() => {
          const y = tf.oneHot(tf.tensor1d(LABELS.slice(0, 2), 'int32'), 3);
          const two = tensorsOf(cut, inputs, LABELS.length).map((t) => tf.slice(t, 0, 2));
          const { grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, cut.suffix.apply(two, { training: true }) as Tensor) as Scalar);
          return cut.suffix.trainableWeights.map((w) => grads[w.name]!);
        });
        const values = tensors.map((g) => g.dataSync() as Float32Array);
        tf.dispose(tensors);
        return values;
      };
      const onWasm = gradients();
      await useBackend('cpu');
      const onCpu = gradients();
      await useBackend('wasm');
      expect(onWasm.length).toBeGreaterThan(4);
      onWasm.forEach((g, i) => expect(relativeDifference(g, onCpu[i]!), cut.suffix.trainableWeights[i]!.name).toBeLessThan(1e-4));
    });

    it("the fit loop's steps lower the loss", () => {
      // Judged as the steps see it (training mode, the same batch): that is the function they descend,
      // deterministic without dropout, while the inference-mode loss also moves with BatchNorm's
      // moving statistics, which a few steps on a random trunk shift by more than they learn.
      const trainingLoss = () =>
        tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(LABELS, 'int32'), 3), cut.suffix.apply(tensorsOf(cut, inputs, LABELS.length), { training: true }) as Tensor).dataSync()[0]!);
      const before = trainingLoss();
      // A step along the gradient goes downhill once the rate is small enough; how small depends
      // on the random trunk's curvature (VGG16's wide layers overshot at 1e-3 now and then). So:
      // plain SGD steps from the same weights at falling rates until one lowers the loss — a
      // gradient with a wrong sign never does.
      const start = cut.suffix.getWeights().map((w) => w.clone());
      const tried: string[] = [];
      let lowered = false;
      for (const rate of [1e-3, 1e-4, 1e-5, 1e-6]) {
        cut.suffix.setWeights(start);
        const optimizer = tf.train.sgd(rate);
        for (let step = 0; step < 4; step++) expect(Number.isFinite(trainStep(tf, cut.suffix, optimizer, inputs, LABELS, STEP).loss)).toBe(true);
        optimizer.dispose();
        const after = trainingLoss();
        tried.push(`${rate}: ${before} → ${after}`);
        if (after < before) {
          lowered = true;
          break;
        }
      }
      cut.suffix.setWeights(start);
      tf.dispose(start);
      expect(lowered, tried.join('; ')).toBe(true);
    });
  });
});
