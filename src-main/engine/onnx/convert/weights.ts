import { weightRole, type WeightRole } from '../../models/weights/weight-roles';
import { unsupported } from './context';
import type { Layer } from './layer-graph';

/** A weight array copied out of tfjs (never the backend's own buffer, which folding would corrupt). */
export interface WeightArray {
  shape: number[];
  data: Float32Array;
}

/** A layer's weights by role (`kernel`, `bias`, `gamma`, …), read from its variables. */
export function layerWeights(layer: Layer): Map<WeightRole, WeightArray> {
  const byRole = new Map<WeightRole, WeightArray>();
  for (const variable of layer.weights) {
    const role = weightRole(variable.originalName);
    if (!role) throw unsupported(layer, `weight "${variable.originalName}" has no known role`);
    if (byRole.has(role)) throw unsupported(layer, `two weights with the role ${role}`);
    const values = variable.read().dataSync();
    if (!(values instanceof Float32Array)) throw unsupported(layer, `weight "${variable.originalName}" is not float32`);
    byRole.set(role, { shape: variable.shape.map((d) => d ?? 0), data: values.slice() });
  }
  return byRole;
}

/** The weight with `role`, which the layer's config says must exist. */
export function requireWeight(layer: Layer, weights: Map<WeightRole, WeightArray>, role: WeightRole): WeightArray {
  const weight = weights.get(role);
  if (!weight) throw unsupported(layer, `its ${role} weight is missing`);
  return weight;
}

/** Keras kernel [kh, kw, in, out] → ONNX Conv weight [out, in, kh, kw]. */
export function convKernel(kernel: WeightArray): WeightArray {
  const [kh, kw, ci, co] = kernel.shape as [number, number, number, number];
  const out = new Float32Array(kernel.data.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < ci; i++) {
        const src = ((y * kw + x) * ci + i) * co;
        for (let o = 0; o < co; o++) out[((o * ci + i) * kh + y) * kw + x] = kernel.data[src + o]!;
      }
    }
  }
  return { shape: [co, ci, kh, kw], data: out };
}

/**
 * Keras depthwise kernel [kh, kw, in, multiplier] → ONNX grouped Conv weight [in·multiplier, 1, kh, kw].
 * TensorFlow orders the outputs channel-major (c·multiplier + m), which is also ONNX's group order.
 */
export function depthwiseKernel(kernel: WeightArray): WeightArray {
  const [kh, kw, ci, mult] = kernel.shape as [number, number, number, number];
  const out = new Float32Array(kernel.data.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let c = 0; c < ci; c++) {
        for (let m = 0; m < mult; m++) out[((c * mult + m) * kh + y) * kw + x] = kernel.data[((y * kw + x) * ci + c) * mult + m]!;
      }
    }
  }
  return { shape: [ci * mult, 1, kh, kw], data: out };
}

/** Dense kernel [in, out] → a 1×1 Conv weight [out, in, 1, 1], for Dense applied to a feature map. */
export function denseAsConvKernel(kernel: WeightArray): WeightArray {
  const [ci, co] = kernel.shape as [number, number];
  const out = new Float32Array(kernel.data.length);
  for (let i = 0; i < ci; i++) for (let o = 0; o < co; o++) out[o * ci + i] = kernel.data[i * co + o]!;
  return { shape: [co, ci, 1, 1], data: out };
}
