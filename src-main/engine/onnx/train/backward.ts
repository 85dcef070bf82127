import { GraftError } from '../../../api/errors';
import { attr, type Attribute, type GraphBuilder, type NodeRecord } from '../convert/graph-builder';
import { addTranspose } from '../convert/transpose-nodes';
import { floatAttr, intAttr, intsAttr, type Shape } from './graph-shapes';

/** The largest int64, as ONNX Slice takes for "to the end". */
const TO_END = 2 ** 62;

/** Why a graph cannot be differentiated here: the caller trains on tfjs instead. */
export function untrainable(why: string): GraftError {
  return new GraftError('bad-request', `The trainable layers cannot be trained on ONNX Runtime: ${why}.`, { reason: 'onnx-untrainable' });
}

/** Adds nodes to a builder with short calls: one output each. */
class Emit {
  constructor(
    readonly b: GraphBuilder,
    readonly shapes: ReadonlyMap<string, Shape>,
  ) {}

  /** True when a value is a float constant equal to `value` everywhere. */
  isConstant(name: string, value: number): boolean {
    const init = this.b.constant(name);
    return init?.data instanceof Float32Array && init.data.every((v) => v === value);
  }

  op(op: string, inputs: string[], base: string, attributes: Attribute[] = []): string {
    return this.b.addNode(op, inputs, base, attributes).outputs[0]!;
  }

  ints(base: string, values: number[]): string {
    return this.b.addInt64s(base, values).name;
  }

  scalar(base: string, value: number): string {
    return this.b.addScalar(base, value).name;
  }

  /** Transpose(x, perm), on fewer axes where `x`'s shape (given, or inferred) allows. */
  transpose(x: string, perm: number[], base: string, shape: Shape | undefined = this.shapes.get(x)): string {
    return shape ? addTranspose(this.b, x, shape, perm, base) : this.op('Transpose', [x], base, [attr.ints('perm', perm)]);
  }

  slice(x: string, starts: number[], ends: number[], axes: number[], base: string): string {
    return this.op('Slice', [x, this.ints(`${base}_starts`, starts), this.ints(`${base}_ends`, ends), this.ints(`${base}_axes`, axes)], base);
  }

  reduceSum(x: string, axes: number[], base: string): string {
    return this.op('ReduceSum', [x, this.ints(`${base}_axes`, axes)], base, [attr.int('keepdims', 0)]);
  }

  shape(name: string): Shape {
    const shape = this.shapes.get(name);
    if (!shape) throw untrainable(`the shape of "${name}" is unknown`);
    return shape;
  }
}

/** A gradient rule: the gradient of each input (null where none is wanted) from the output's gradient `gy`. */
type Rule = (node: NodeRecord, gy: string, wanted: boolean[], e: Emit) => (string | null)[];

const passThrough: Rule = (node, gy, wanted) => wanted.map((w, i) => (w && i === 0 ? gy : null));

/** Rules for the ops the converter writes on a trainable path. */
const RULES: Record<string, Rule> = {
  Identity: passThrough,
  Transpose: (node, gy, wanted, e) => {
    const perm = intsAttr(node, 'perm', []);
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return [wanted[0] ? e.transpose(gy, inverse, `${node.name}_grad`, e.shapes.get(node.outputs[0]!)) : null];
  },
  Reshape: (node, gy, wanted, e) => [wanted[0] ? e.op('Reshape', [gy, e.op('Shape', [node.inputs[0]!], `${node.name}_inshape`)], `${node.name}_grad`) : null],
  Flatten: (node, gy, wanted, e) => RULES.Reshape!(node, gy, wanted, e),
  // Masks from the output in float arithmetic: ORT's bool comparisons, Cast and Where cost several times a Mul.
  Relu: (node, gy, wanted, e) => [wanted[0] ? e.op('Mul', [gy, e.op('Sign', [node.outputs[0]!], `${node.name}_mask`)], `${node.name}_grad`) : null],
  Clip: (node, gy, wanted, e) => {
    // 1 strictly inside the bounds, 0 where clipped (TensorFlow's ReLU6 gradient: 0 < x < 6): the
    // output y lies in [lo, hi], so sign((y − lo)·(hi − y)) is that mask.
    const y = node.outputs[0]!;
    const [, lo, hi] = node.inputs;
    let inside = e.isConstant(lo!, 0) ? y : e.op('Sub', [y, lo!], `${node.name}_above`);
    if (hi) inside = e.op('Mul', [inside, e.op('Sub', [hi, y], `${node.name}_below`)], `${node.name}_inside`);
    return [wanted[0] ? e.op('Mul', [gy, e.op('Sign', [inside], `${node.name}_mask`)], `${node.name}_grad`) : null];
  },
  Sigmoid: (node, gy, wanted, e) => {
    const y = node.outputs[0]!;
    const slope = e.op('Mul', [y, e.op('Sub', [e.scalar(`${node.name}_one`, 1), y], `${node.name}_1my`)], `${node.name}_slope`);
    return [wanted[0] ? e.op('Mul', [gy, slope], `${node.name}_grad`) : null];
  },
  Tanh: (node, gy, wanted, e) => {
    const y = node.outputs[0]!;
    const slope = e.op('Sub', [e.scalar(`${node.name}_one`, 1), e.op('Mul', [y, y], `${node.name}_y2`)], `${node.name}_slope`);
    return [wanted[0] ? e.op('Mul', [gy, slope], `${node.name}_grad`) : null];
  },
  LeakyRelu: (node, gy, wanted, e) => {
    const alpha = floatAttr(node, 'alpha', 0.01);
    // 1 where x > 0, alpha elsewhere: (1 + sign(y))/2·(1 − alpha) + alpha, from the output's sign.
    const half = e.op('Mul', [e.op('Add', [e.op('Sign', [node.outputs[0]!], `${node.name}_sign`), e.scalar(`${node.name}_one`, 1)], `${node.name}_step2`), e.scalar(`${node.name}_half`, (1 - alpha) / 2)], `${node.name}_step`);
    return [wanted[0] ? e.op('Mul', [gy, e.op('Add', [half, e.scalar(`${node.name}_alpha`, alpha)], `${node.name}_slope`)], `${node.name}_grad`) : null];
  },
  Add: (node, gy, wanted, e) => node.inputs.map((x, i) => (wanted[i] ? unbroadcast(e, node, x, gy, `${node.name}_grad_${i}`) : null)),
  Sum: (node, gy, wanted, e) => RULES.Add!(node, gy, wanted, e),
  Sub: (node, gy, wanted, e) => [
    wanted[0] ? unbroadcast(e, node, node.inputs[0]!, gy, `${node.name}_grad_a`) : null,
    wanted[1] ? unbroadcast(e, node, node.inputs[1]!, e.op('Neg', [gy], `${node.name}_neg`), `${node.name}_grad_b`) : null,
  ],
  Mul: (node, gy, wanted, e) => {
    const [a, b] = node.inputs as [string, string];
    return [
      wanted[0] ? unbroadcast(e, node, a, e.op('Mul', [gy, b], `${node.name}_gy_b`), `${node.name}_grad_a`) : null,
      wanted[1] ? unbroadcast(e, node, b, e.op('Mul', [gy, a], `${node.name}_gy_a`), `${node.name}_grad_b`) : null,
    ];
  },
  Concat: (node, gy, wanted, e) => {
    const axis = intAttr(node, 'axis', 1);
    let offset = 0;
    return node.inputs.map((x, i) => {
      const size = e.shape(x)[axis]!;
      const start = offset;
      offset += size;
      return wanted[i] ? e.slice(gy, [start], [start + size], [axis], `${node.name}_grad_${i}`) : null;
    });
  },
  GlobalAveragePool: (node, gy, wanted, e) => {
    const x = node.inputs[0]!;
    const area = e.shape(x).slice(2).reduce((a, b) => a * b, 1);
    const spread = e.op('Mul', [gy, e.scalar(`${node.name}_inv_area`, 1 / area)], `${node.name}_spread`);
    return [wanted[0] ? e.op('Expand', [spread, e.op('Shape', [x], `${node.name}_inshape`)], `${node.name}_grad`) : null];
  },
  Pad: (node, gy, wanted, e) => {
    const pads = e.b.constant(node.inputs[1]!);
    if (!pads) throw untrainable(`"${node.name}" pads by a computed amount`);
    const p = [...pads.data].map(Number);
    const x = e.shape(node.inputs[0]!);
    const axes = x.map((_, i) => i).filter((i) => p[i] !== 0 || p[i + x.length] !== 0);
    if (axes.some((i) => x[i] === -1)) throw untrainable(`"${node.name}" pads the batch`);
    return [wanted[0] ? e.slice(gy, axes.map((i) => p[i]!), axes.map((i) => p[i]! + x[i]!), axes, `${node.name}_grad`) : null];
  },
  Gemm: (node, gy, wanted, e) => {
    if (intAttr(node, 'transA', 0) || intAttr(node, 'transB', 0) || floatAttr(node, 'alpha', 1) !== 1 || floatAttr(node, 'beta', 1) !== 1) {
      throw untrainable(`"${node.name}" is a Gemm with transposes or scales`);
    }
    const [a, b] = node.inputs as [string, string];
    return [
      wanted[0] ? e.op('Gemm', [gy, b], `${node.name}_grad_a`, [attr.int('transB', 1)]) : null,
      wanted[1] ? e.op('Gemm', [a, gy], `${node.name}_grad_b`, [attr.int('transA', 1)]) : null,
      wanted[2] ? e.reduceSum(gy, [0], `${node.name}_grad_c`) : null,
    ];
  },
  BatchNormalization: (node, gy, wanted, e) => batchNormGrads(node, gy, wanted, e),
  Conv: (node, gy, wanted, e) => convGrads(node, gy, wanted, e),
};

/**
 * The gradient of an input that was broadcast to the output's shape: `g` summed over the axes
 * the input was spread along, in the input's own shape (`g` itself when nothing was spread).
 */
function unbroadcast(e: Emit, node: NodeRecord, input: string, g: string, base: string): string {
  const from = e.shape(input);
  const to = e.shape(node.outputs[0]!);
  if (from.join(',') === to.join(',')) return g;
  const lead = to.length - from.length;
  const axes = to.map((_, i) => i).filter((i) => i < lead || (from[i - lead] === 1 && to[i] !== 1));
  if (axes.some((i) => i >= lead && from[i - lead] !== 1 && from[i - lead] !== to[i])) throw untrainable(`"${node.name}" (${node.op}) broadcasts unevenly`);
  const summed = e.op('ReduceSum', [g, e.ints(`${base}_axes`, axes)], `${base}_sum`, [attr.int('keepdims', 1)]);
  if (from.some((d) => d === -1)) throw untrainable(`"${node.name}" (${node.op}) broadcasts a batch-sized value`);
  return e.op('Reshape', [summed, e.ints(`${base}_shape`, from)], base);
}

/** Inference-mode BatchNormalization: y = (x − mean)·s + beta with s = gamma / √(var + ε); mean and var are constants. */
function batchNormGrads(node: NodeRecord, gy: string, wanted: boolean[], e: Emit): (string | null)[] {
  if (wanted[3] || wanted[4]) throw untrainable(`"${node.name}" would train its moving statistics`);
  const [x, gamma, , mean, variance] = node.inputs as [string, string, string, string, string];
  const rank = e.shape(x).length;
  const channels = e.shape(mean)[0]!;
  const eps = floatAttr(node, 'epsilon', 1e-5);
  const n = node.name;
  // Per channel, shaped to broadcast over [N, C, …].
  const perChannel = (v: string, base: string) => (rank > 2 ? e.op('Reshape', [v, e.ints(`${base}_shape`, [channels, ...new Array<number>(rank - 2).fill(1)])], base) : v);
  const inv = e.op('Reciprocal', [e.op('Sqrt', [e.op('Add', [variance, e.scalar(`${n}_eps`, eps)], `${n}_vareps`)], `${n}_std`)], `${n}_invstd`);
  const axes = [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)];
  const grads: (string | null)[] = [null, null, null, null, null];
  if (wanted[0]) grads[0] = e.op('Mul', [gy, perChannel(e.op('Mul', [gamma, inv], `${n}_scale`), `${n}_scale_b`)], `${n}_grad_x`);
  if (wanted[1]) {
    const xhat = e.op('Mul', [e.op('Sub', [x, perChannel(mean, `${n}_mean_b`)], `${n}_centred`), perChannel(inv, `${n}_inv_b`)], `${n}_xhat`);
    grads[1] = e.reduceSum(e.op('Mul', [gy, xhat], `${n}_gy_xhat`), axes, `${n}_grad_gamma`);
  }
  if (wanted[2]) grads[2] = e.reduceSum(gy, axes, `${n}_grad_beta`);
  return grads;
}

/**
 * Conv (NCHW, any kernel, stride, dilation and pads; one group or depthwise). Input gradient:
 * for stride 1 the transposed convolution is a convolution of gy with the flipped kernel; with
 * strides, a ConvTranspose. Kernel gradient: a 1×1 convolution is a matrix product over
 * batch and positions; otherwise the correlation of x with gy, written as a convolution with
 * batch and channels swapped (grouped per channel for depthwise).
 */
function convGrads(node: NodeRecord, gy: string, wanted: boolean[], e: Emit): (string | null)[] {
  const [x, w] = node.inputs as [string, string];
  const [, ci, h, wd] = e.shape(x) as [number, number, number, number];
  const [co, perGroup, kh, kw] = e.shape(w) as [number, number, number, number];
  const [, , oh, ow] = e.shape(node.outputs[0]!) as [number, number, number, number];
  const [sh, sw] = intsAttr(node, 'strides', [1, 1]) as [number, number];
  const [dh, dw] = intsAttr(node, 'dilations', [1, 1]) as [number, number];
  const pads = intsAttr(node, 'pads', [0, 0, 0, 0]) as [number, number, number, number];
  const [t, l, b, r] = pads;
  const group = intAttr(node, 'group', 1);
  const depthwise = group > 1 && group === ci && perGroup === 1 && co === ci;
  if (group !== 1 && !depthwise) throw untrainable(`"${node.name}" is a grouped convolution that is not depthwise`);
  if ([h, wd, oh, ow].some((d) => d < 1)) throw untrainable(`"${node.name}" has no fixed spatial size`);
  // tfjs has no gradient to check a dilated one against (nor to fall back to).
  if (dh !== 1 || dw !== 1) throw untrainable(`"${node.name}" is a dilated convolution`);
  const n = node.name;
  const pointwise = kh === 1 && kw === 1 && sh === 1 && sw === 1 && pads.every((p) => p === 0) && !depthwise;
  const grads: (string | null)[] = [null, null, null];

  if (wanted[0]) {
    if (pointwise) {
      grads[0] = e.op('Conv', [gy, e.transpose(w, [1, 0, 2, 3], `${n}_wt`)], `${n}_grad_x`, [attr.ints('kernel_shape', [1, 1])]);
    } else if (sh === 1 && sw === 1) {
      let flipped = e.op('Slice', [w, e.ints(`${n}_fs`, [-1, -1]), e.ints(`${n}_fe`, [-TO_END, -TO_END]), e.ints(`${n}_fa`, [2, 3]), e.ints(`${n}_fst`, [-1, -1])], `${n}_wflip`);
      if (!depthwise) flipped = e.transpose(flipped, [1, 0, 2, 3], `${n}_wflip_t`, e.shape(w));
      const back = [(kh - 1) * dh - t, (kw - 1) * dw - l, (kh - 1) * dh - b, (kw - 1) * dw - r];
      if (back.some((p) => p < 0)) throw untrainable(`"${node.name}" pads more than its kernel reaches`);
      grads[0] = e.op('Conv', [gy, flipped], `${n}_grad_x`, [attr.ints('kernel_shape', [kh, kw]), attr.ints('dilations', [dh, dw]), attr.ints('pads', back), attr.int('group', group)]);
    } else {
      const extra = [h - ((oh - 1) * sh + (kh - 1) * dh + 1 - t - b), wd - ((ow - 1) * sw + (kw - 1) * dw + 1 - l - r)];
      grads[0] = e.op('ConvTranspose', [gy, w], `${n}_grad_x`, [
        attr.ints('kernel_shape', [kh, kw]),
        attr.ints('strides', [sh, sw]),
        attr.ints('dilations', [dh, dw]),
        attr.ints('pads', pads),
        attr.ints('output_padding', extra),
        attr.int('group', group),
      ]);
    }
  }

  if (wanted[1]) {
    const gyT = e.transpose(gy, [1, 0, 2, 3], `${n}_gy_t`, e.shape(node.outputs[0]!));
    if (pointwise) {
      const g2 = e.op('Reshape', [gyT, e.ints(`${n}_gy_2d`, [co, -1])], `${n}_gy_mat`);
      const x2 = e.op('Reshape', [e.transpose(x, [0, 2, 3, 1], `${n}_x_nhwc`), e.ints(`${n}_x_2d`, [-1, ci])], `${n}_x_mat`);
      grads[1] = e.op('Reshape', [e.op('MatMul', [g2, x2], `${n}_gw_mat`), e.ints(`${n}_gw_shape`, [co, ci, 1, 1])], `${n}_grad_w`);
    } else {
      const xT = e.transpose(x, [1, 0, 2, 3], `${n}_x_t`);
      const source = depthwise ? e.op('Reshape', [xT, e.ints(`${n}_x_groups`, [1, -1, h, wd])], `${n}_x_grouped`) : xT;
      const correlation = e.op('Conv', [source, gyT], `${n}_gw_full`, [
        attr.ints('strides', [dh, dw]),
        attr.ints('dilations', [sh, sw]),
        attr.ints('pads', pads),
        attr.int('group', depthwise ? ci : 1),
      ]);
      const cropped = e.slice(correlation, [0, 0], [kh, kw], [2, 3], `${n}_gw_crop`);
      grads[1] = depthwise ? e.op('Reshape', [cropped, e.ints(`${n}_gw_shape`, [ci, 1, kh, kw])], `${n}_grad_w`) : e.transpose(cropped, [1, 0, 2, 3], `${n}_grad_w`, [ci, co, kh, kw]);
    }
  }

  if (wanted[2]) grads[2] = e.reduceSum(gy, [0, 2, 3], `${n}_grad_b`);
  return grads;
}

/**
 * Appends the backward pass of `forward` (nodes already in the builder) to it: from the
 * gradient `seed.grad` of value `seed.value`, the gradient of each value in `wrt`, by reverse
 * accumulation with one rule per op. Returns each `wrt` value's gradient name (values the
 * seed does not depend on are refused). Throws `untrainable` for an op without a rule.
 */
export function appendBackward(
  builder: GraphBuilder,
  forward: readonly NodeRecord[],
  shapes: ReadonlyMap<string, Shape>,
  seed: { value: string; grad: string },
  wrt: readonly string[],
): Map<string, string> {
  const e = new Emit(builder, shapes);
  const needsGrad = new Set(wrt);
  for (const node of forward) if (node.inputs.some((i) => needsGrad.has(i))) for (const out of node.outputs) needsGrad.add(out);
  const parts = new Map<string, string[]>([[seed.value, [seed.grad]]]);
  const total = (value: string): string | null => {
    const list = parts.get(value);
    if (!list || list.length === 0) return null;
    if (list.length === 1) return list[0]!;
    const sum = e.op('Sum', list, `${value}_grad_sum`);
    parts.set(value, [sum]);
    return sum;
  };
  for (let i = forward.length - 1; i >= 0; i--) {
    const node = forward[i]!;
    const gy = total(node.outputs[0]!);
    const wanted = node.inputs.map((input) => needsGrad.has(input));
    if (!gy || !wanted.some(Boolean)) continue;
    const rule = RULES[node.op];
    if (!rule) throw untrainable(`no gradient for ${node.op} ("${node.name}")`);
    rule(node, gy, wanted, e).forEach((grad, k) => {
      if (!grad || !wanted[k]) return;
      const input = node.inputs[k]!;
      parts.set(input, [...(parts.get(input) ?? []), grad]);
    });
  }
  const out = new Map<string, string>();
  for (const name of wrt) {
    const grad = total(name);
    if (!grad) throw untrainable(`"${name}" does not reach the loss`);
    out.set(name, grad);
  }
  return out;
}
