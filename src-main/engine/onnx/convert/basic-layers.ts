import { activationName, applyActivation, clip } from './activations';
import { configOf, graphAxis, onlyInput, outputShape, unsupported, type LayerConverter } from './context';
import { attr } from './graph-builder';
import { layerWeights, requireWeight } from './weights';

/** Dense: Gemm on [N, features]; on a feature map it acts on channels, i.e. a 1×1 convolution. */
export const convertDense: LayerConverter = (call, inputs, ctx) => {
  const { layer } = call;
  const input = onlyInput(call, inputs);
  const weights = layerWeights(layer);
  const kernel = requireWeight(layer, weights, 'kernel');
  const bias = weights.get('bias');
  const b = ctx.builder;
  const rank = input.shape.length;
  const activation = ctx.activationOf(layer);
  const opName = activation === 'linear' ? layer.name : `${layer.name}_preact`;
  if (rank !== 2 && rank !== 4) throw unsupported(layer, `input of rank ${rank}`);
  // On a feature map a Dense acts on channels: a 1×1 convolution.
  const w = ctx.weight(layer, 'kernel', kernel, rank === 2 ? 'keras' : 'dense-as-conv');
  const opInputs = [input.name, w.name];
  if (bias) opInputs.push(ctx.weight(layer, 'bias', bias, 'keras').name);
  const out = b.addNode(rank === 2 ? 'Gemm' : 'Conv', opInputs, opName, rank === 2 ? [] : [attr.ints('kernel_shape', [1, 1])]).outputs[0]!;
  return { name: applyActivation(ctx, layer, activation, out, rank, layer.name), shape: outputShape(call) };
};

/** Flatten in Keras (NHWC) order, so the Dense after it keeps its weights: NCHW → NHWC first unless H·W = 1. */
export const convertFlatten: LayerConverter = (call, inputs, ctx) => {
  const { layer } = call;
  const input = onlyInput(call, inputs);
  const shape = outputShape(call);
  if (input.shape.length === 2) return { name: input.name, shape };
  let source = input.name;
  if (input.shape.length === 4) {
    const format = configOf(layer).dataFormat;
    if (format !== undefined && format !== null && format !== 'channelsLast') throw unsupported(layer, `data format ${String(format)}`);
    const [, h, w] = input.shape;
    if (h !== 1 || w !== 1) source = ctx.builder.addNode('Transpose', [source], `${layer.name}_nhwc`, [attr.ints('perm', [0, 2, 3, 1])]).outputs[0]!;
  }
  return { name: ctx.builder.addNode('Flatten', [source], layer.name, [attr.int('axis', 1)]).outputs[0]!, shape };
};

/** Dropout: the identity at inference (Keras `training=False`); a fed mask in training graphs. */
export const convertDropout: LayerConverter = (call, inputs, ctx) => {
  const rate = configOf(call.layer).rate;
  if (typeof rate !== 'number') throw unsupported(call.layer, `rate ${JSON.stringify(rate)}`);
  return ctx.dropout(call, onlyInput(call, inputs), rate);
};

/** Layers that are the identity at inference time (Keras `training=False`). */
export const convertIdentity: LayerConverter = (call, inputs) => ({ name: onlyInput(call, inputs).name, shape: outputShape(call) });

/** Activation layer: the same mapping as activations inside Conv2D or Dense. */
export const convertActivation: LayerConverter = (call, inputs, ctx) => {
  const input = onlyInput(call, inputs);
  const name = activationName(configOf(call.layer));
  return { name: applyActivation(ctx, call.layer, name, input.name, input.shape.length, call.layer.name), shape: outputShape(call) };
};

/** ReLU layer: ReLU6 and other capped ReLUs become Clip. */
export const convertReLU: LayerConverter = (call, inputs, ctx) => {
  const input = onlyInput(call, inputs);
  const config = configOf(call.layer);
  for (const field of ['negativeSlope', 'threshold']) {
    const value = config[field];
    if (value !== undefined && value !== null && value !== 0) throw unsupported(call.layer, `${field} ${String(value)}`);
  }
  const max = config.maxValue;
  const name =
    typeof max === 'number' ? clip(ctx, input.name, 0, max, call.layer.name) : ctx.builder.addNode('Relu', [input.name], call.layer.name).outputs[0]!;
  return { name, shape: outputShape(call) };
};

/** LeakyReLU → LeakyRelu with the layer's alpha (tfjs default 0.3). */
export const convertLeakyReLU: LayerConverter = (call, inputs, ctx) => {
  const alpha = configOf(call.layer).alpha;
  const node = ctx.builder.addNode('LeakyRelu', [onlyInput(call, inputs).name], call.layer.name, [attr.float('alpha', typeof alpha === 'number' ? alpha : 0.3)]);
  return { name: node.outputs[0]!, shape: outputShape(call) };
};

/** Softmax layer over its Keras axis (mapped into NCHW for feature maps). */
export const convertSoftmax: LayerConverter = (call, inputs, ctx) => {
  const input = onlyInput(call, inputs);
  const raw = configOf(call.layer).axis;
  // tfjs's Softmax layer defaults to axis 1 (Keras: −1); its config always states the axis anyway.
  const axis = Array.isArray(raw) && raw.length === 1 ? (raw[0] as unknown) : (raw ?? 1);
  if (typeof axis !== 'number') throw unsupported(call.layer, `axis ${JSON.stringify(raw)}`);
  const graph = graphAxis(call.layer, axis, input.shape.length);
  return { name: ctx.builder.addNode('Softmax', [input.name], call.layer.name, [attr.int('axis', graph)]).outputs[0]!, shape: outputShape(call) };
};

/** Rescaling: x·scale + offset, e.g. 1/255 for models that take raw pixels. */
export const convertRescaling: LayerConverter = (call, inputs, ctx) => {
  const input = onlyInput(call, inputs);
  const { scale, offset } = configOf(call.layer);
  if (typeof scale !== 'number' || typeof offset !== 'number') throw unsupported(call.layer, 'scale and offset must be numbers');
  const b = ctx.builder;
  let name = input.name;
  if (scale !== 1) name = b.addNode('Mul', [name, b.addScalar(`${call.layer.name}_scale`, scale).name], `${call.layer.name}_scaled`).outputs[0]!;
  if (offset !== 0) name = b.addNode('Add', [name, b.addScalar(`${call.layer.name}_offset`, offset).name], call.layer.name).outputs[0]!;
  return { name, shape: outputShape(call) };
};
