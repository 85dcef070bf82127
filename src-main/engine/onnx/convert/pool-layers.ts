import { configOf, onlyInput, outputShape, pair, requireChannelsLast, spatial, unsupported, type ConvertContext, type LayerConverter, type Value } from './context';
import { attr } from './graph-builder';
import type { LayerCall } from './layer-graph';
import { kerasPads } from './padding';

/** MaxPooling2D: padding cells never win (ONNX pads MaxPool with −∞, as TensorFlow does). */
export const convertMaxPooling2D: LayerConverter = (call, inputs, ctx) => pooling(call, inputs, ctx, 'MaxPool');

/** AveragePooling2D: TensorFlow's `same` averages only real cells, i.e. count_include_pad = 0. */
export const convertAveragePooling2D: LayerConverter = (call, inputs, ctx) => pooling(call, inputs, ctx, 'AveragePool');

function pooling(call: LayerCall, inputs: Value[], ctx: ConvertContext, op: 'MaxPool' | 'AveragePool'): Value {
  const { layer } = call;
  requireChannelsLast(layer);
  const input = onlyInput(call, inputs);
  const config = configOf(layer);
  const padding = config.padding;
  if (padding !== 'same' && padding !== 'valid') throw unsupported(layer, `padding "${String(padding)}"`);
  const kernel = pair(layer, config.poolSize, 'poolSize');
  const strides = pair(layer, config.strides ?? config.poolSize, 'strides');
  const pads = kerasPads(padding, spatial(layer, input.shape), kernel, strides);
  const attributes = [attr.ints('kernel_shape', kernel), attr.ints('strides', strides), attr.ints('pads', pads)];
  if (op === 'AveragePool') attributes.push(attr.int('count_include_pad', 0));
  const node = ctx.builder.addNode(op, [input.name], layer.name, attributes);
  return { name: node.outputs[0]!, shape: outputShape(call) };
}

/** GlobalAveragePooling2D → [N, C] (or [N, C, 1, 1] kept as a map when the layer keeps dims). */
export const convertGlobalAveragePooling2D: LayerConverter = (call, inputs, ctx) => globalPooling(call, inputs, ctx, 'GlobalAveragePool');

/** GlobalMaxPooling2D → [N, C]. */
export const convertGlobalMaxPooling2D: LayerConverter = (call, inputs, ctx) => globalPooling(call, inputs, ctx, 'GlobalMaxPool');

function globalPooling(call: LayerCall, inputs: Value[], ctx: ConvertContext, op: string): Value {
  const { layer } = call;
  requireChannelsLast(layer);
  const input = onlyInput(call, inputs);
  if (input.shape.length !== 4) throw unsupported(layer, `expected a 4-D input, got rank ${input.shape.length}`);
  const pooled = ctx.builder.addNode(op, [input.name], `${layer.name}_nchw`).outputs[0]!;
  const shape = outputShape(call);
  if (shape.length === 4) return { name: pooled, shape };
  // [N, C, 1, 1] → [N, C]: with 1×1 spatial size NCHW and NHWC orders agree, so no transpose.
  return { name: ctx.builder.addNode('Flatten', [pooled], layer.name, [attr.int('axis', 1)]).outputs[0]!, shape };
}
