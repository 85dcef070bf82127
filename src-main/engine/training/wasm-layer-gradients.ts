import type { GradSaveFunc, LayersModel, Tensor, Tensor4D } from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import { patchLayerCalls, type Layer } from './layer-call-patch';

// Layers whose tfjs gradients are slow on tfjs-backend-wasm, given calls with the same values and
// an exact gradient of cheap kernels there (other backends keep the layers' own calls). Measured
// on wasm for a [32, 7, 7, 960] input: ReLU with a max value (MobileNetV2's ReLU6) is relu then
// clipByValue, whose gradients are a Step and GreaterEqual, LessEqual, LogicalAnd and Select on
// booleans, ~35 ms against ~5 ms for a mask of two Steps; GlobalAveragePooling2D's gradient
// multiplies by a full-size tensor of ones written from JavaScript, ~40 ms for [32, 7, 7, 1280]
// against ~1.5 ms for a broadcast multiply with a Fill. A Conv2D with a linear activation runs
// tfjs's fused conv2d, whose custom gradient always computes dL/dx too: for the first convolution
// after the freeze cut that is a matMul nobody reads (~12 ms for MobileNetV2's block_16_expand at
// batch 32); the plain conv2d's gradients are computed only where needed.

/** Marks a layer whose call we replaced, with what to put back. */
const PATCHED = Symbol.for('graft.wasm-layer-gradient');

/**
 * min(max(x, 0), cap) with the gradient dy · [0 < x ≤ cap], exactly what relu's and
 * clipByValue's gradients multiply together, as dy · (step(x) − step(x − cap)): x − cap is
 * positive exactly when x > cap (IEEE subtraction is zero only for equal operands).
 */
export function cappedRelu(tf: Tf, x: Tensor, cap: number): Tensor {
  const op = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [input, save] = args as [Tensor, GradSaveFunc];
    save([input]);
    return {
      value: cap === 6 ? tf.relu6(input) : tf.clipByValue(tf.relu(input), 0, cap),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [x0] = saved as [Tensor];
        return [tf.mul(dy, tf.sub(tf.step(x0), tf.step(tf.sub(x0, cap))))];
      },
    };
  });
  return op(x);
}

/** The mean over height and width of an NHWC tensor, its gradient a broadcast multiply (dy / (h·w) everywhere). */
export function spatialMean(tf: Tf, x: Tensor4D): Tensor {
  const [n, h, w, c] = x.shape;
  const op = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [input] = args as [Tensor];
    return {
      // An average pool over the whole map: ~0.5 ms against ~3.5 ms for wasm's Mean, which transposes first.
      value: tf.reshape(tf.avgPool(input as Tensor4D, [h, w], 1, 'valid'), [n, c]),
      gradFunc: (dy: Tensor) => [tf.mul(tf.reshape(dy, [n, 1, 1, c]), tf.fill([n, h, w, c], 1 / (h * w)))],
    };
  });
  return op(x);
}

/** A Conv2D with a linear activation as a plain conv2d (plus its bias): the same kernel on wasm, no fused custom gradient. */
function plainConv(tf: Tf, layer: Layer, config: Record<string, unknown>): ((x: Tensor) => Tensor) | null {
  const find = (name: string) => layer.weights.find((w) => w.originalName.endsWith(`/${name}`));
  const kernel = find('kernel');
  const bias = config['useBias'] === true ? find('bias') : undefined;
  const { activation, dataFormat, padding, strides, dilationRate } = config;
  if (!kernel || (config['useBias'] === true && !bias) || activation !== 'linear' || dataFormat !== 'channelsLast') return null;
  if ((padding !== 'same' && padding !== 'valid') || !Array.isArray(strides)) return null;
  const pair = (v: unknown) => (Array.isArray(v) ? ([Number(v[0]), Number(v[1])] as [number, number]) : Number(v ?? 1));
  return (x) =>
    tf.tidy(() => {
      const y = tf.conv2d(x as Tensor4D, kernel.read() as Tensor4D, pair(strides), padding, 'NHWC', pair(dilationRate));
      return bias ? tf.add(y, bias.read()) : y;
    });
}

/** The faster call for a layer, or null when it has none (another class, or a configuration this does not cover). */
function fastCall(tf: Tf, layer: Layer): ((x: Tensor) => Tensor) | null {
  const config = layer.getConfig();
  switch (layer.getClassName()) {
    case 'Conv2D':
      return plainConv(tf, layer, config);
    case 'ReLU': {
      const cap = config['maxValue'];
      return typeof cap === 'number' && cap > 0 ? (x) => cappedRelu(tf, x, cap) : null;
    }
    case 'GlobalAveragePooling2D':
      return config['dataFormat'] === 'channelsLast' && config['keepDims'] !== true ? (x) => spatialMean(tf, x as Tensor4D) : null;
    default:
      return null;
  }
}

/**
 * Gives the ReLU-with-cap, GlobalAveragePooling2D and linear Conv2D layers of `model` calls whose
 * gradients are fast on tfjs-backend-wasm; on other backends (checked at each call) they run their own call.
 * Idempotent; returns a function that restores the layers' own calls.
 */
export function applyWasmLayerGradients(tf: Tf, model: LayersModel): () => void {
  return patchLayerCalls(model, PATCHED, (layer) => {
    const fast = fastCall(tf, layer);
    if (!fast) return null;
    return (inputs, kwargs, original) => {
      if (tf.getBackend() !== 'wasm') return original.call(layer, inputs, kwargs);
      return fast(Array.isArray(inputs) ? inputs[0]! : inputs);
    };
  });
}
