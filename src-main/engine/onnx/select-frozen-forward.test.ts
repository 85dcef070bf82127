import * as tf from '@tensorflow/tfjs';
import type { SymbolicTensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OnnxRuntime } from './ort-loader';
import { requireOnnxRuntime } from './test-support/ort-runtime';
import { createFrozenForward } from './select-frozen-forward';
import { smallModel } from './test-support/parity';

let runtime: OnnxRuntime;
beforeAll(async () => {
  await tf.setBackend('cpu');
  runtime = await requireOnnxRuntime();
});

const apply = (layer: { apply(x: SymbolicTensor): unknown }, x: SymbolicTensor) => layer.apply(x) as SymbolicTensor;

describe('createFrozenForward (runtime choice)', () => {
  const unavailable = async () => ({ available: false as const, error: 'onnxruntime-node cannot be used: not installed' });
  const withUnsupported = () =>
    smallModel([4, 4, 3], (x) => apply(tf.layers.globalAveragePooling2d({}), apply(tf.layers.upSampling2d({ name: 'up' }), x)));

  it('auto: ONNX Runtime when it loads and converts', async () => {
    const model = smallModel([4], (x) => apply(tf.layers.dense({ units: 2 }), x));
    const { forward, fallbackReason } = await createFrozenForward(tf, model, { loadOnnx: async () => ({ available: true, runtime }) });
    expect(forward.runtime).toBe('onnx');
    expect(fallbackReason).toBeNull();
    forward.dispose();
    model.dispose();
  });

  it('auto: tfjs when ONNX Runtime does not load, or the model has a layer it cannot convert, saying why', async () => {
    const model = withUnsupported();
    const missing = await createFrozenForward(tf, model, { loadOnnx: unavailable });
    expect(missing).toMatchObject({ forward: { runtime: 'tfjs' }, fallbackReason: 'onnxruntime-node cannot be used: not installed' });
    const layer = await createFrozenForward(tf, model, { loadOnnx: async () => ({ available: true, runtime }) });
    expect(layer.forward.runtime).toBe('tfjs');
    expect(layer.fallbackReason).toContain('Layer "up" (UpSampling2D)');
    model.dispose();
  });

  it('forced onnx fails instead of falling back; forced tfjs never loads ONNX Runtime', async () => {
    const model = withUnsupported();
    await expect(createFrozenForward(tf, model, { choice: 'onnx', loadOnnx: unavailable })).rejects.toMatchObject({ code: 'engine-unavailable' });
    await expect(createFrozenForward(tf, model, { choice: 'onnx', loadOnnx: async () => ({ available: true, runtime }) })).rejects.toThrow('UpSampling2D');
    let asked = false;
    const forced = await createFrozenForward(tf, model, {
      choice: 'tfjs',
      loadOnnx: async () => {
        asked = true;
        return unavailable();
      },
    });
    expect(forced.forward.runtime).toBe('tfjs');
    expect(asked).toBe(false);
    model.dispose();
  });
});
