import * as tf from '@tensorflow/tfjs';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GraftError } from '../../../api/errors';
import { checkSmall, graphOps, maxAbsDiff, onnxOutputs, randomFloats, smallModel, tfjsOutputs } from '../test-support/parity';
import { convertToOnnx } from './convert-model';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const apply = (layer: { apply(x: SymbolicTensor | SymbolicTensor[]): unknown }, x: SymbolicTensor | SymbolicTensor[]) => layer.apply(x) as SymbolicTensor;
const TOLERANCE = 1e-4;

/** conv → pool → (upsampling, which the converter refuses) → flatten → dense. */
function withUnsupportedTail(): LayersModel {
  return smallModel([8, 8, 3], (x) => {
    const conv = apply(tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv' }), x);
    const pool = apply(tf.layers.maxPooling2d({ poolSize: 2, name: 'pool' }), conv);
    const up = apply(tf.layers.upSampling2d({ size: [2, 2], name: 'up' }), pool);
    return apply(tf.layers.dense({ units: 3, name: 'fc' }), apply(tf.layers.flatten({ name: 'flat' }), up));
  });
}

function caught(run: () => unknown): GraftError {
  try {
    run();
  } catch (error) {
    if (error instanceof GraftError) return error;
    throw error;
  }
  throw new Error('expected a GraftError');
}

describe('convertToOnnx', () => {
  it('refuses an unsupported layer by name and class, approximating nothing', () => {
    const model = withUnsupportedTail();
    const error = caught(() => convertToOnnx(model));
    expect(error.code).toBe('bad-request');
    expect(error.message).toContain('Layer "up" (UpSampling2D) cannot be converted to ONNX');
    expect(error.details).toMatchObject({ reason: 'onnx-unsupported-layer', layer: 'up', className: 'UpSampling2D' });
    model.dispose();
  });

  it('converts a prefix up to a cut layer, leaving out (even unsupported) layers after it; 4-D outputs are NHWC', async () => {
    const parity = await checkSmall(withUnsupportedTail(), ['pool']);
    expect(parity.graph.outputLayers).toEqual(['pool']);
    expect(parity.graph.outputShapes).toEqual([[4, 4, 4]]);
    expect(graphOps(parity.graph.bytes)).toEqual(['Transpose', 'Conv', 'Relu', 'MaxPool', 'Transpose']);
    expect(parity.maxDiff[0]).toBeLessThan(TOLERANCE);
  });

  it('gives several outputs in the order asked, including one that feeds another', async () => {
    const model = smallModel([6, 6, 3], (x) => {
      const conv = apply(tf.layers.conv2d({ filters: 4, kernelSize: 3, name: 'conv' }), x);
      const pooled = apply(tf.layers.globalAveragePooling2d({ name: 'gap' }), conv);
      return apply(tf.layers.dense({ units: 2, activation: 'softmax', name: 'probs' }), pooled);
    });
    const parity = await checkSmall(model, ['probs', 'conv', 'gap']);
    expect(parity.graph.outputLayers).toEqual(['probs', 'conv', 'gap']);
    expect(parity.graph.outputNames).toEqual(['probs', 'conv_nhwc', 'gap']);
    expect(parity.graph.outputShapes).toEqual([[2], [4, 4, 4], [4]]);
    expect(Math.max(...parity.maxDiff)).toBeLessThan(TOLERANCE);
  });

  it('asks for the same output twice without clashing names', async () => {
    const model = smallModel([5], (x) => apply(tf.layers.dense({ units: 2, name: 'fc' }), x));
    const graph = convertToOnnx(model, { outputs: ['fc', 'fc'] });
    expect(new Set(graph.outputNames).size).toBe(2);
    const input = randomFloats(10, 5);
    const [a, b] = await onnxOutputs(graph, input, [2, 5]);
    const [expected] = tfjsOutputs(model, input, [2, 5]);
    expect(maxAbsDiff(a!, expected!)).toBeLessThan(TOLERANCE);
    expect(maxAbsDiff(b!, expected!)).toBeLessThan(TOLERANCE);
    model.dispose();
  });

  it('inlines a nested model (a base used as a layer, as when grafting) and can cut inside it or at it', async () => {
    const base = smallModel([6, 6, 3], (x) => apply(tf.layers.globalAveragePooling2d({ name: 'gap' }), apply(tf.layers.conv2d({ filters: 4, kernelSize: 3, name: 'inner_conv' }), x)), 'base');
    const sequential = tf.sequential({ layers: [base, tf.layers.dense({ units: 3, activation: 'softmax', name: 'head' })] });
    const whole = await checkSmall(sequential);
    expect(whole.maxDiff[0]).toBeLessThan(TOLERANCE);

    const base2 = smallModel([6, 6, 3], (x) => apply(tf.layers.globalAveragePooling2d({ name: 'gap2' }), apply(tf.layers.conv2d({ filters: 4, kernelSize: 3, name: 'inner2' }), x)), 'base2');
    const input = tf.input({ shape: [6, 6, 3], name: 'outer_input' });
    const features = apply(base2, input);
    const grafted = tf.model({ inputs: input, outputs: apply(tf.layers.dense({ units: 2, name: 'head2' }), features), name: 'grafted' });
    const graph = convertToOnnx(grafted, { outputs: ['inner2', 'base2', 'head2'] });
    expect(graph.outputShapes).toEqual([[4, 4, 4], [4], [2]]);
    const full = await checkSmall(grafted);
    expect(full.maxDiff[0]).toBeLessThan(TOLERANCE);
  });

  it('names a missing or ambiguous cut layer, and needs a fixed input size', () => {
    const shared = tf.layers.dense({ units: 3, name: 'shared' });
    const model = smallModel([3], (x) => apply(shared, apply(shared, x)));
    expect(caught(() => convertToOnnx(model, { outputs: ['nope'] })).message).toContain('no layer named "nope"');
    expect(caught(() => convertToOnnx(model, { outputs: ['shared'] })).message).toContain('used 2 times');
    model.dispose();

    const input = tf.input({ shape: [null, null, 3] });
    const open = tf.model({ inputs: input, outputs: apply(tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same' }), input) });
    expect(caught(() => convertToOnnx(open)).message).toContain('no fixed size');
    open.dispose();
  });
});
