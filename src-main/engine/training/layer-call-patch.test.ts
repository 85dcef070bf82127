import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { patchLayerCalls } from './layer-call-patch';

const MARK = Symbol.for('graft.test-patch');

function model() {
  const input = tf.input({ shape: [2] });
  const relu = tf.layers.reLU({ name: 'relu' }).apply(input) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: relu });
}

const first = (inputs: Tensor | Tensor[]) => (Array.isArray(inputs) ? inputs[0]! : inputs);

const run = (m: tf.LayersModel, values: number[]) => tf.tidy(() => Array.from((m.predict(tf.tensor2d([values])) as Tensor).dataSync()));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('patchLayerCalls', () => {
  it('replaces the calls it is given, with the original at hand; once per mark; restores them', () => {
    const m = model();
    const seen: string[] = [];
    const restore = patchLayerCalls(m, MARK, (layer) =>
        layer.name === 'relu'
        ? (inputs, kwargs, original) => {
            seen.push(layer.name);
            return tf.neg(original.call(layer, inputs, kwargs) as Tensor);
          }
        : null,
    );
    expect(run(m, [-1, 2])).toEqual([-0, -2]);
    // Applying again under the same mark changes nothing.
    const again = patchLayerCalls(m, MARK, () => () => tf.zeros([1, 2]));
    expect(run(m, [-1, 2])).toEqual([-0, -2]);
    again();
    expect(seen).toEqual(['relu', 'relu']);
    restore();
    expect(run(m, [-1, 2])).toEqual([0, 2]);
    expect(Object.prototype.hasOwnProperty.call(m.getLayer('relu'), 'call')).toBe(false);
    m.dispose();
  });

  it("puts back a layer's own call when it had one", () => {
    const m = model();
    const layer = m.getLayer('relu');
    const own = (inputs: Tensor | Tensor[]) => tf.mul(first(inputs), 10);
    layer.call = own;
    const restore = patchLayerCalls(m, MARK, (l) => (l.name === 'relu' ? () => tf.zeros([1, 2]) : null));
    expect(run(m, [-1, 2])).toEqual([0, 0]);
    restore();
    expect(layer.call).toBe(own);
    expect(run(m, [-1, 2])).toEqual([-10, 20]);
    m.dispose();
  });
});
