import { configOf, graphAxis, onlyInput, outputShape, unsupported, type ConvertContext, type FoldableConv, type LayerConverter } from './context';
import { attr, type GraphBuilder } from './graph-builder';
import type { WeightRole } from '../../models/weights/weight-roles';
import type { Layer } from './layer-graph';
import { layerWeights, requireWeight, type WeightArray } from './weights';

/** Inference-mode BatchNormalization parameters per channel, with the defaults for a missing gamma/beta. */
interface BnParams {
  gamma: Float32Array;
  beta: Float32Array;
  mean: Float32Array;
  variance: Float32Array;
  epsilon: number;
}

/**
 * BatchNormalization (inference mode, moving statistics): folded into the convolution right
 * before it when nothing else reads that convolution's output, else an ONNX BatchNormalization.
 */
export const convertBatchNormalization: LayerConverter = (call, inputs, ctx) => {
  const { layer } = call;
  const input = onlyInput(call, inputs);
  const rank = input.shape.length;
  const config = configOf(layer);
  const axis = Array.isArray(config.axis) && config.axis.length === 1 ? (config.axis[0] as unknown) : config.axis;
  if (typeof axis !== 'number' || graphAxis(layer, axis, rank) !== (rank === 4 ? 1 : rank - 1) || rank < 2) {
    throw unsupported(layer, `only the channel axis is supported, got axis ${JSON.stringify(config.axis)} on rank ${rank}`);
  }
  const weights = layerWeights(layer);
  const params = bnParams(layer, config, weights);
  const shape = outputShape(call);
  if (input.conv && ctx.soleConsumer(input.conv.call) === call) {
    if (input.conv.weight && !ctx.feeds(layer)) fold(input.conv, params, ctx.builder, layer.name);
    else foldByNodes(input.conv, layer, params, weights, ctx);
    return { name: input.name, shape };
  }
  const b = ctx.builder;
  // A missing gamma or beta (scale/center off) is a constant 1 or 0, never fed.
  const scaleOrShift = (role: 'gamma' | 'beta', values: Float32Array) =>
    weights.has(role) ? ctx.weight(layer, role, { shape: [values.length], data: values }, 'keras').name : b.addFloats(`${layer.name}_${role}`, [values.length], values).name;
  const names = [
    scaleOrShift('gamma', params.gamma),
    scaleOrShift('beta', params.beta),
    b.addFloats(`${layer.name}_mean`, [params.mean.length], params.mean).name,
    b.addFloats(`${layer.name}_var`, [params.variance.length], params.variance).name,
  ];
  const node = b.addNode('BatchNormalization', [input.name, ...names], layer.name, [attr.float('epsilon', params.epsilon)]);
  return { name: node.outputs[0]!, shape };
};

function bnParams(layer: Layer, config: Record<string, unknown>, weights: Map<WeightRole, WeightArray>): BnParams {
  const mean = requireWeight(layer, weights, 'moving_mean').data;
  const variance = requireWeight(layer, weights, 'moving_variance').data;
  const channels = mean.length;
  const optional = (present: unknown, weight: WeightArray | undefined, fill: number): Float32Array => {
    if (present === false) return new Float32Array(channels).fill(fill);
    if (!weight) throw unsupported(layer, 'a gamma or beta weight is missing');
    return weight.data;
  };
  const epsilon = typeof config.epsilon === 'number' ? config.epsilon : 1e-3;
  return { gamma: optional(config.scale, weights.get('gamma'), 1), beta: optional(config.center, weights.get('beta'), 0), mean, variance, epsilon };
}

/**
 * Folds BN into a convolution whose weights (or the BN's own scale and offset) are fed to a
 * training graph: the same W' = W·s, b' = (b − mean)·s + beta, written as nodes on the small
 * weight tensors before the convolution, so no pass over the activations is left and the
 * gradients reach W, b, gamma and beta through them.
 */
function foldByNodes(conv: FoldableConv, layer: Layer, bn: BnParams, weights: Map<WeightRole, WeightArray>, ctx: ConvertContext): void {
  const b = ctx.builder;
  const channels = bn.mean.length;
  const name = layer.name;
  b.insertBefore(conv.node, () => {
    const inv = Float32Array.from(bn.variance, (v) => 1 / Math.sqrt(v + bn.epsilon));
    const fed = ctx.feeds(layer);
    const vector = (base: string, data: Float32Array) => b.addFloats(`${name}_${base}`, [channels], data).name;
    const scale =
      fed && weights.has('gamma')
        ? b.addNode('Mul', [ctx.weight(layer, 'gamma', { shape: [channels], data: bn.gamma }, 'keras').name, vector('inv_std', inv)], `${name}_scale`).outputs[0]!
        : vector('scale', Float32Array.from(bn.gamma, (g, c) => g * inv[c]!));
    const beta = fed && weights.has('beta') ? ctx.weight(layer, 'beta', { shape: [channels], data: bn.beta }, 'keras').name : vector('beta', bn.beta);
    const perOutput = b.addNode('Reshape', [scale, b.addInt64s(`${name}_scale_shape`, [channels, 1, 1, 1]).name], `${name}_scale_w`).outputs[0]!;
    const weight = b.addNode('Mul', [conv.node.inputs[1]!, perOutput], `${name}_folded_W`).outputs[0]!;
    const bias = conv.node.inputs[2];
    const shift = bias ? b.addNode('Sub', [bias, vector('mean', bn.mean)], `${name}_shift`).outputs[0]! : vector('neg_mean', bn.mean.map((m) => -m));
    const folded = b.addNode('Add', [b.addNode('Mul', [shift, scale], `${name}_shift_scaled`).outputs[0]!, beta], `${name}_folded_B`).outputs[0]!;
    conv.node.inputs[1] = weight;
    conv.node.inputs[2] = folded;
  });
}

/**
 * Folds BN into the convolution: W' = W·s, b' = (b − mean)·s + beta with s = gamma / √(var + ε),
 * per output channel, computed in double precision. The weight arrays are our own copies.
 */
function fold(conv: FoldableConv, bn: BnParams, builder: GraphBuilder, bnName: string): void {
  if (!conv.weight) throw new Error(`BatchNorm "${bnName}" cannot fold into fed weights in place.`);
  const weight = conv.weight.data as Float32Array;
  const outChannels = conv.weight.dims[0]!;
  if (outChannels !== bn.mean.length) throw new Error(`BatchNorm "${bnName}" has ${bn.mean.length} channels; its convolution has ${outChannels}.`);
  const perChannel = weight.length / outChannels;
  const bias = conv.bias ? (conv.bias.data as Float32Array) : new Float32Array(outChannels);
  for (let o = 0; o < outChannels; o++) {
    const scale = bn.gamma[o]! / Math.sqrt(bn.variance[o]! + bn.epsilon);
    for (let k = o * perChannel; k < (o + 1) * perChannel; k++) weight[k] = weight[k]! * scale;
    bias[o] = (bias[o]! - bn.mean[o]!) * scale + bn.beta[o]!;
  }
  if (!conv.bias) {
    const init = builder.addFloats(`${bnName}_folded_B`, [outChannels], bias);
    conv.node.inputs.push(init.name);
    conv.bias = init;
  }
}
