import { unsupported, type ConvertContext } from './context';
import { attr } from './graph-builder';
import type { Layer } from './layer-graph';

/** Unary ONNX ops that equal a tfjs activation exactly (same formula, default attributes). */
const UNARY: Record<string, string> = {
  relu: 'Relu',
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
  elu: 'Elu',
  selu: 'Selu',
  softplus: 'Softplus',
  softsign: 'Softsign',
};

/** The activation name in a layer config (tfjs writes the class name, e.g. 'relu6'), or 'linear'. */
export function activationName(config: Record<string, unknown>): string {
  const raw = config.activation;
  if (raw === undefined || raw === null) return 'linear';
  if (typeof raw === 'string') return raw;
  const className = (raw as { className?: unknown }).className;
  return typeof className === 'string' ? className : JSON.stringify(raw);
}

/**
 * Appends a Keras activation to value `input` (of rank `rank`, NCHW when 4) and returns the
 * output name; 'linear' returns `input` unchanged. Softmax runs over the Keras last axis.
 */
export function applyActivation(ctx: ConvertContext, layer: Layer, name: string, input: string, rank: number, base: string): string {
  const b = ctx.builder;
  const unary = UNARY[name];
  if (unary) return b.addNode(unary, [input], base).outputs[0]!;
  const channelAxis = rank === 4 ? 1 : rank - 1;
  switch (name) {
    case 'linear':
      return input;
    case 'relu6':
      return clip(ctx, input, 0, 6, base);
    case 'softmax':
      return b.addNode('Softmax', [input], base, [attr.int('axis', channelAxis)]).outputs[0]!;
    case 'hardSigmoid':
      // tfjs: clip(0.2·x + 0.5, 0, 1), which is ONNX HardSigmoid's formula with these constants.
      return b.addNode('HardSigmoid', [input], base, [attr.float('alpha', 0.2), attr.float('beta', 0.5)]).outputs[0]!;
    case 'swish': {
      const gate = b.addNode('Sigmoid', [input], `${base}_sigmoid`).outputs[0]!;
      return b.addNode('Mul', [input, gate], base).outputs[0]!;
    }
    default:
      throw unsupported(layer, `activation "${name}" has no exact ONNX equivalent here`);
  }
}

/** Clip(x, lo, hi) in opset 17 form (bounds as inputs); `hi` null leaves it unbounded above. */
export function clip(ctx: ConvertContext, input: string, lo: number, hi: number | null, base: string): string {
  const b = ctx.builder;
  const inputs = [input, b.addScalar(`${base}_min`, lo).name];
  if (hi !== null) inputs.push(b.addScalar(`${base}_max`, hi).name);
  return b.addNode('Clip', inputs, base).outputs[0]!;
}
