import type { WeightRole } from '../../models/weights/weight-roles';
import { applyActivation } from './activations';
import {
  configOf,
  onlyInput,
  outputShape,
  pair,
  requireChannelsLast,
  spatial,
  unsupported,
  type ConvertContext,
  type LayerConverter,
  type Value,
} from './context';
import { attr } from './graph-builder';
import type { LayerCall } from './layer-graph';
import { kerasPads } from './padding';
import type { WeightLayout } from './weight-feed';
import { layerWeights, requireWeight, type WeightArray } from './weights';

/** Layer classes whose input may keep a ZeroPadding2D pending: they take it into their own pads. */
export const PAD_ABSORBERS: ReadonlySet<string> = new Set(['Conv2D', 'DepthwiseConv2D']);

/** Conv2D: Keras HWIO kernel → OIHW, TensorFlow `same` pads from the static input size. */
export const convertConv2D: LayerConverter = (call, inputs, ctx) => {
  const weights = layerWeights(call.layer);
  return convolution(call, onlyInput(call, inputs), ctx, { role: 'kernel', layout: 'conv', value: requireWeight(call.layer, weights, 'kernel') }, weights.get('bias') ?? null, 1);
};

/** DepthwiseConv2D: a grouped Conv with one group per input channel. */
export const convertDepthwiseConv2D: LayerConverter = (call, inputs, ctx) => {
  const weights = layerWeights(call.layer);
  const kernel = requireWeight(call.layer, weights, 'depthwise_kernel');
  return convolution(call, onlyInput(call, inputs), ctx, { role: 'depthwise_kernel', layout: 'depthwise', value: kernel }, weights.get('bias') ?? null, kernel.shape[2]!);
};

/** A convolution's kernel in Keras layout, and the ONNX layout it takes. */
interface Kernel {
  role: WeightRole;
  layout: WeightLayout;
  value: WeightArray;
}

function convolution(call: LayerCall, input: Value, ctx: ConvertContext, kernel: Kernel, bias: WeightArray | null, group: number): Value {
  const { layer } = call;
  requireChannelsLast(layer);
  const config = configOf(layer);
  const padding = config.padding;
  if (padding !== 'same' && padding !== 'valid') throw unsupported(layer, `padding "${String(padding)}"`);
  const kernelSize = pair(layer, config.kernelSize, 'kernelSize');
  const strides = pair(layer, config.strides ?? 1, 'strides');
  const dilations = pair(layer, config.dilationRate ?? 1, 'dilationRate');
  // `same` is computed on the padded size, which is the Keras input shape of this layer.
  const pads = kerasPads(padding, spatial(layer, input.shape), kernelSize, strides, dilations);
  const pending = input.pendingPad ?? [0, 0, 0, 0];
  const allPads = pads.map((p, i) => p + pending[i]!);

  const b = ctx.builder;
  const weight = ctx.weight(layer, kernel.role, kernel.value, kernel.layout);
  const biasWeight = bias ? ctx.weight(layer, 'bias', bias, 'keras') : null;
  const activation = ctx.activationOf(layer);
  // The layer's own name goes to its last node, so graph outputs read like Keras layer names.
  const convName = activation === 'linear' ? layer.name : `${layer.name}_preact`;
  const node = b.addNode('Conv', biasWeight ? [input.name, weight.name, biasWeight.name] : [input.name, weight.name], convName, [
    attr.ints('kernel_shape', kernelSize),
    attr.ints('strides', strides),
    attr.ints('dilations', dilations),
    attr.ints('pads', allPads),
    attr.int('group', group),
  ]);
  const shape = outputShape(call);
  const convOut = node.outputs[0]!;
  if (activation === 'linear') return { name: convOut, shape, conv: { call, node, weight: weight.constant, bias: biasWeight?.constant ?? null } };
  return { name: applyActivation(ctx, layer, activation, convOut, 4, layer.name), shape };
}

/** ZeroPadding2D: left pending for a convolution that reads it alone; otherwise a Pad node. */
export const convertZeroPadding2D: LayerConverter = (call, inputs, ctx) => {
  const { layer } = call;
  requireChannelsLast(layer);
  const input = onlyInput(call, inputs);
  const [[top, bottom], [left, right]] = paddingPairs(call);
  const pending = input.pendingPad ?? [0, 0, 0, 0];
  const pad: [number, number, number, number] = [pending[0] + top, pending[1] + left, pending[2] + bottom, pending[3] + right];
  const next = ctx.soleConsumer(call);
  if (next && PAD_ABSORBERS.has(next.layer.getClassName())) return { name: input.name, shape: outputShape(call), pendingPad: pad };
  const pads = ctx.builder.addInt64s(`${layer.name}_pads`, [0, 0, pad[0], pad[1], 0, 0, pad[2], pad[3]]);
  return { name: ctx.builder.addNode('Pad', [input.name, pads.name], layer.name).outputs[0]!, shape: outputShape(call) };
};

function paddingPairs(call: LayerCall): [[number, number], [number, number]] {
  const raw = configOf(call.layer).padding;
  if (typeof raw === 'number') {
    return [
      [raw, raw],
      [raw, raw],
    ];
  }
  if (Array.isArray(raw) && raw.length === 2) {
    const [h, w] = raw as unknown[];
    if (typeof h === 'number' && typeof w === 'number') {
      return [
        [h, h],
        [w, w],
      ];
    }
    if (Array.isArray(h) && Array.isArray(w) && h.length === 2 && w.length === 2) {
      return [
        [Number(h[0]), Number(h[1])],
        [Number(w[0]), Number(w[1])],
      ];
    }
  }
  throw unsupported(call.layer, `padding ${JSON.stringify(raw)}`);
}
