import * as tf from '@tensorflow/tfjs';
import type { SymbolicTensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkSmall, graphOps, smallModel } from '../test-support/parity';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const apply = (layer: { apply(x: SymbolicTensor | SymbolicTensor[]): unknown }, x: SymbolicTensor) => layer.apply(x) as SymbolicTensor;
const TOLERANCE = 1e-4;

describe.each(['max', 'average'] as const)('%s pooling', (kind) => {
  const pool = kind === 'max' ? tf.layers.maxPooling2d : tf.layers.averagePooling2d;

  it.each([
    { size: [7, 7], poolSize: 3, strides: 2, padding: 'same' },
    { size: [8, 9], poolSize: 3, strides: 2, padding: 'same' },
    { size: [9, 9], poolSize: 2, strides: 2, padding: 'same' },
    { size: [5, 5], poolSize: 3, strides: 1, padding: 'same' },
    { size: [9, 8], poolSize: 3, strides: 2, padding: 'valid' },
    { size: [8, 8], poolSize: 2, strides: undefined, padding: 'valid' },
  ] as const)('$size.0×$size.1, pool $poolSize, stride $strides, $padding', async ({ size, poolSize, strides, padding }) => {
    // Negative inputs make a padded max or a padding-counting average visibly wrong.
    const model = smallModel([size[0], size[1], 3], (x) => apply(pool({ poolSize, strides, padding }), x));
    const expected = model.outputs[0]!.shape.slice(1);
    const parity = await checkSmall(model);
    expect(parity.graph.outputShapes[0]).toEqual(expected);
    expect(parity.maxDiff[0]).toBeLessThan(TOLERANCE);
  });
});

describe('global pooling', () => {
  it.each(['avg', 'max'] as const)('%s gives [N, C] without a transpose', async (kind) => {
    const layer = kind === 'avg' ? tf.layers.globalAveragePooling2d({}) : tf.layers.globalMaxPooling2d({});
    const model = smallModel([5, 7, 6], (x) => apply(layer, x));
    const parity = await checkSmall(model);
    expect(parity.graph.outputShapes).toEqual([[6]]);
    expect(graphOps(parity.graph.bytes)).toEqual(['Transpose', kind === 'avg' ? 'GlobalAveragePool' : 'GlobalMaxPool', 'Flatten']);
    expect(parity.maxDiff[0]).toBeLessThan(TOLERANCE);
  });
});
