import * as tf from '@tensorflow/tfjs';
import type { SymbolicTensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomFloats, smallModel, tfjsOutputs } from '../onnx/test-support/parity';
import { createTfjsFrozenForward } from './frozen-forward';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const apply = (layer: { apply(x: SymbolicTensor): unknown }, x: SymbolicTensor) => layer.apply(x) as SymbolicTensor;

function model() {
  return smallModel([6, 6, 3], (x) => {
    const conv = apply(tf.layers.conv2d({ filters: 4, kernelSize: 3, name: 'conv' }), x);
    return apply(tf.layers.dense({ units: 2, name: 'fc' }), apply(tf.layers.globalAveragePooling2d({ name: 'gap' }), conv));
  });
}

describe('createTfjsFrozenForward', () => {
  it('runs the whole model, or a prefix with several outputs, in Keras layout', async () => {
    const m = model();
    const input = randomFloats(3 * 6 * 6 * 3, 1);
    const whole = createTfjsFrozenForward(tf, m);
    expect(whole).toMatchObject({ runtime: 'tfjs', description: 'tfjs cpu', inputShape: [6, 6, 3], outputLayers: ['fc'], outputShapes: [[2]] });
    expect(await whole.run(input, 3)).toEqual(tfjsOutputs(m, input, [3, 6, 6, 3]));

    const cut = createTfjsFrozenForward(tf, m, { outputs: ['conv', 'gap'] });
    expect(cut.outputShapes).toEqual([[4, 4, 4], [4]]);
    const [conv, gap] = await cut.run(input, 3);
    expect(conv).toHaveLength(3 * 4 * 4 * 4);
    expect(gap).toEqual(tfjsOutputs(m, input, [3, 6, 6, 3], ['gap'])[0]);
    cut.dispose();
    whole.dispose();
    // Disposing the forwards leaves the caller's model usable.
    expect(m.predict(tf.zeros([1, 6, 6, 3]))).toBeDefined();
    m.dispose();
  });

  it('checks the batch size against n and leaks no tensors', async () => {
    const m = model();
    const forward = createTfjsFrozenForward(tf, m);
    await expect(forward.run(new Float32Array(10), 1)).rejects.toThrow('needs 108 floats; got 10');
    await expect(forward.run(new Float32Array(0), 0)).rejects.toThrow('at least one image');
    const before = tf.memory().numTensors;
    await forward.run(randomFloats(108, 2), 1);
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });
});
