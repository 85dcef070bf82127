import * as tf from '@tensorflow/tfjs';
import type { SymbolicTensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkSmall, graphOps, smallModel } from '../test-support/parity';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const apply = (layer: { apply(x: SymbolicTensor | SymbolicTensor[]): unknown }, x: SymbolicTensor | SymbolicTensor[]) => layer.apply(x) as SymbolicTensor;
const TOLERANCE = 1e-4;

/** Two different 4-channel maps of the same input. */
function twoBranches(x: SymbolicTensor): [SymbolicTensor, SymbolicTensor] {
  return [apply(tf.layers.conv2d({ filters: 4, kernelSize: 1 }), x), apply(tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }), x)];
}

describe('merge layers', () => {
  it('Concatenate on the channel axis of feature maps (axis −1 and 3)', async () => {
    const model = smallModel([5, 6, 3], (x) => {
      const [a, b] = twoBranches(x);
      const small = apply(tf.layers.conv2d({ filters: 2, kernelSize: 1 }), x);
      return [apply(tf.layers.concatenate({ name: 'last' }), [a, b, small]), apply(tf.layers.concatenate({ axis: 3, name: 'three' }), [b, a])];
    });
    const parity = await checkSmall(model);
    expect(parity.graph.outputShapes).toEqual([
      [5, 6, 10],
      [5, 6, 8],
    ]);
    expect(Math.max(...parity.maxDiff)).toBeLessThan(TOLERANCE);
  });

  it('Concatenate on a spatial axis and of flat vectors', async () => {
    const spatial = smallModel([5, 6, 3], (x) => apply(tf.layers.concatenate({ axis: 2 }), twoBranches(x)));
    expect((await checkSmall(spatial)).maxDiff[0]).toBeLessThan(TOLERANCE);
    const flat = smallModel([7], (x) => apply(tf.layers.concatenate({}), [apply(tf.layers.dense({ units: 3 }), x), apply(tf.layers.dense({ units: 2 }), x)]));
    expect((await checkSmall(flat)).maxDiff[0]).toBeLessThan(TOLERANCE);
  });

  it.each([
    ['add', 'Add'],
    ['multiply', 'Mul'],
    ['average', 'Mean'],
    ['maximum', 'Max'],
    ['minimum', 'Min'],
  ] as const)('%s', async (kind, op) => {
    const model = smallModel([4, 4, 3], (x) => apply(tf.layers[kind]({}), twoBranches(x)));
    const parity = await checkSmall(model);
    expect(graphOps(parity.graph.bytes)).toContain(op);
    expect(parity.maxDiff[0]).toBeLessThan(TOLERANCE);
  });

  it('Add of three inputs', async () => {
    const model = smallModel([4, 4, 3], (x) => apply(tf.layers.add({}), [...twoBranches(x), apply(tf.layers.conv2d({ filters: 4, kernelSize: 1 }), x)]));
    expect((await checkSmall(model)).maxDiff[0]).toBeLessThan(TOLERANCE);
  });
});
