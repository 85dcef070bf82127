import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchName } from '../../api/types/models';
import { buildModel } from '../models/build-model';
import { preprocessModeOf } from '../models/preprocess';
import { convertToOnnx } from './convert/convert-model';
import { compareRuntimes, graphOps, onnxOutputs, randomFloats, randomizeBatchNorms, seededRandom } from './test-support/parity';

const TOLERANCE = 1e-4;
let tmp = '';

beforeAll(async () => {
  await tf.setBackend('cpu');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-onnx-zoo-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The smallest input each architecture allows (Keras's minimum sizes). */
const SMALLEST: Record<ArchName, number> = { vgg16: 32, resnet50: 32, mobilenet_v2: 32, inception_v3: 75 };
/** The layer that feeds `predictions`. */
const FEATURES: Record<ArchName, string> = { vgg16: 'fc2', resnet50: 'avg_pool', mobilenet_v2: 'global_average_pooling2d', inception_v3: 'avg_pool' };

/** Inputs in the range the architecture's preprocessing produces (caffe: about ±150, tf: ±1). */
function inputFor(arch: ArchName, count: number, seed: number): Float32Array {
  return preprocessModeOf(arch) === 'caffe' ? randomFloats(count, seed, -124, 152) : randomFloats(count, seed, -1, 1);
}

describe('whole-model parity, ONNX Runtime vs tfjs (random weights, randomised BatchNorm statistics)', () => {
  it.each(['mobilenet_v2', 'resnet50', 'inception_v3', 'vgg16'] as const)('%s at its smallest input', async (arch) => {
    const size = SMALLEST[arch];
    const model = buildModel(tf, arch, { inputShape: [size, size, 3], classifierActivation: 'linear' });
    try {
      randomizeBatchNorms(model);
      const parity = await compareRuntimes(model, inputFor(arch, 2 * size * size * 3, 11), 2, [FEATURES[arch], 'predictions']);
      console.info(`${arch} ${size}×${size}: max|Δ| features ${parity.maxDiff[0]!.toExponential(2)} (max|x| ${parity.scale[0]!.toFixed(3)}), logits ${parity.maxDiff[1]!.toExponential(2)} (max|x| ${parity.scale[1]!.toFixed(3)})`);
      expect(parity.scale[0]).toBeGreaterThan(1e-2);
      expect(Math.max(...parity.maxDiff)).toBeLessThanOrEqual(TOLERANCE);
      // Relative too, so that small activations (VGG16's random weights shrink them) still prove something.
      parity.maxDiff.forEach((diff, i) => expect(diff / parity.scale[i]!).toBeLessThan(1e-5));
    } finally {
      model.dispose();
    }
  });

  it('MobileNetV2 has no Transpose but the entry one after ONNX Runtime optimises it', async () => {
    const model = buildModel(tf, 'mobilenet_v2', { inputShape: [32, 32, 3], includeTop: false, pooling: 'avg' });
    try {
      const graph = convertToOnnx(model);
      const optimized = path.join(tmp, 'mobilenet_v2.optimized.onnx');
      await onnxOutputs(graph, randomFloats(32 * 32 * 3, 2), [1, 32, 32, 3], optimized);
      const ops = graphOps(new Uint8Array(fs.readFileSync(optimized)));
      expect(ops.filter((op) => op === 'Transpose')).toHaveLength(1);
      expect(graphOps(graph.bytes).filter((op) => op === 'Transpose')).toHaveLength(1);
      expect(ops).not.toContain('BatchNormalization');
    } finally {
      model.dispose();
    }
  });
});

/** A trained-looking head: seeded non-trivial weights instead of the initialiser's. */
function perturbWeights(model: LayersModel, seed: number): void {
  const next = seededRandom(seed);
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Dense') continue;
    const values = layer.getWeights().map((w) => tf.tensor(Array.from({ length: w.size }, () => (next() - 0.5) * 0.2), w.shape));
    layer.setWeights(values);
    tf.dispose(values);
  }
}

describe('grafted head parity', () => {
  it('MobileNetV2 base + pooling + Dense + Dropout + softmax, cut at the pooled features too', async () => {
    const base = buildModel(tf, 'mobilenet_v2', { inputShape: [32, 32, 3], includeTop: false });
    randomizeBatchNorms(base);
    let x = tf.layers.globalAveragePooling2d({ name: 'head_pool' }).apply(base.outputs[0]!) as SymbolicTensor;
    x = tf.layers.dense({ units: 32, activation: 'relu', name: 'head_fc' }).apply(x) as SymbolicTensor;
    x = tf.layers.dropout({ rate: 0.3, name: 'head_dropout' }).apply(x) as SymbolicTensor;
    x = tf.layers.dense({ units: 5, activation: 'softmax', name: 'head_probs' }).apply(x) as SymbolicTensor;
    const grafted = tf.model({ inputs: base.inputs, outputs: x, name: 'grafted_mobilenet_v2' });
    perturbWeights(grafted, 5);
    try {
      const parity = await compareRuntimes(grafted, randomFloats(3 * 32 * 32 * 3, 9), 3, ['head_pool', 'head_probs']);
      console.info(`grafted head: max|Δ| pooled ${parity.maxDiff[0]!.toExponential(2)}, probabilities ${parity.maxDiff[1]!.toExponential(2)}`);
      expect(Math.max(...parity.maxDiff)).toBeLessThanOrEqual(TOLERANCE);
      expect(graphOps(parity.graph.bytes)).not.toContain('Dropout');
    } finally {
      grafted.dispose();
    }
  });
});
