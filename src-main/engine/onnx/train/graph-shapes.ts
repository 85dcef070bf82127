import type { Attribute, GraphBuilder, NodeRecord } from '../convert/graph-builder';

/** A static shape; −1 stands for the batch (the one dimension a graph leaves open). */
export type Shape = number[];

/** An attribute's integer list, or `fallback` when the node does not set it. */
export function intsAttr(node: NodeRecord, name: string, fallback: number[]): number[] {
  const found = node.attributes.find((a: Attribute) => a.name === name);
  return found?.ints ? found.ints.map(Number) : fallback;
}

/** An attribute's integer, or `fallback`. */
export function intAttr(node: NodeRecord, name: string, fallback: number): number {
  const found = node.attributes.find((a: Attribute) => a.name === name);
  return found?.i === undefined || found.i === null ? fallback : Number(found.i);
}

/** An attribute's float, or `fallback`. */
export function floatAttr(node: NodeRecord, name: string, fallback: number): number {
  const found = node.attributes.find((a: Attribute) => a.name === name);
  return typeof found?.f === 'number' ? found.f : fallback;
}

/** Thrown for a node whose output shape this pass cannot tell; the caller decides whether it matters. */
export class UnknownShape extends Error {}

const SAME_AS_FIRST = new Set(['Identity', 'Relu', 'Clip', 'Sigmoid', 'Tanh', 'LeakyRelu', 'Elu', 'Selu', 'Softplus', 'Softsign', 'HardSigmoid', 'Softmax', 'BatchNormalization', 'Neg']);
const BROADCAST = new Set(['Add', 'Sub', 'Mul', 'Div', 'Sum', 'Max', 'Min', 'Mean']);

/**
 * Static shapes of every value a list of nodes makes, from the shapes of the graph's inputs and
 * the builder's constants: the ops Graft's converter writes. A value whose shape cannot be told
 * is left out (a gradient rule that needs it refuses the graph).
 */
export function inferShapes(builder: GraphBuilder, nodes: readonly NodeRecord[], inputs: ReadonlyMap<string, Shape>): Map<string, Shape> {
  const shapes = new Map<string, Shape>(inputs);
  for (const init of builder.constants()) shapes.set(init.name, [...init.dims]);
  for (const node of nodes) {
    try {
      shapes.set(node.outputs[0]!, outputShape(builder, node, shapes));
    } catch (error) {
      if (!(error instanceof UnknownShape)) throw error;
    }
  }
  return shapes;
}

function outputShape(builder: GraphBuilder, node: NodeRecord, shapes: ReadonlyMap<string, Shape>): Shape {
  const of = (i: number): Shape => {
    const shape = shapes.get(node.inputs[i] ?? '');
    if (!shape) throw new UnknownShape(`${node.op} input ${i}`);
    return shape;
  };
  if (SAME_AS_FIRST.has(node.op)) return of(0);
  if (BROADCAST.has(node.op)) return broadcast(node.inputs.map((_, i) => of(i)));
  switch (node.op) {
    case 'Transpose': {
      const x = of(0);
      return intsAttr(node, 'perm', x.map((_, i) => x.length - 1 - i)).map((p) => x[p]!);
    }
    case 'Reshape': {
      const target = builder.constant(node.inputs[1]!);
      if (!target) throw new UnknownShape('Reshape to a computed shape');
      return [...target.data].map(Number);
    }
    case 'Flatten': {
      const x = of(0);
      const axis = intAttr(node, 'axis', 1);
      const rest = x.slice(axis).reduce((a, b) => a * b, 1);
      return axis === 1 ? [x[0]!, rest] : [x.slice(0, axis).reduce((a, b) => a * b, 1), rest];
    }
    case 'Gemm':
      return [of(0)[0]!, of(1)[1]!];
    case 'GlobalAveragePool':
    case 'GlobalMaxPool': {
      const x = of(0);
      return [x[0]!, x[1]!, ...x.slice(2).map(() => 1)];
    }
    case 'MaxPool':
    case 'AveragePool':
    case 'Conv': {
      const [n, c, h, w] = of(0) as [number, number, number, number];
      const [co, kh, kw] = node.op === 'Conv' ? [of(1)[0]!, of(1)[2]!, of(1)[3]!] : [c, ...(intsAttr(node, 'kernel_shape', []) as [number, number])];
      const [sh, sw] = intsAttr(node, 'strides', [1, 1]) as [number, number];
      const [dh, dw] = intsAttr(node, 'dilations', [1, 1]) as [number, number];
      const [t, l, b, r] = intsAttr(node, 'pads', [0, 0, 0, 0]) as [number, number, number, number];
      return [n, co, Math.floor((h + t + b - ((kh - 1) * dh + 1)) / sh) + 1, Math.floor((w + l + r - ((kw - 1) * dw + 1)) / sw) + 1];
    }
    case 'Pad': {
      const x = of(0);
      const pads = builder.constant(node.inputs[1]!);
      if (!pads) throw new UnknownShape('Pad with computed pads');
      const p = [...pads.data].map(Number);
      return x.map((d, i) => d + p[i]! + p[i + x.length]!);
    }
    case 'Concat': {
      const parts = node.inputs.map((_, i) => of(i));
      const axis = intAttr(node, 'axis', 1);
      const out = [...parts[0]!];
      out[axis] = parts.reduce((sum, s) => sum + s[axis]!, 0);
      return out;
    }
    default:
      throw new UnknownShape(node.op);
  }
}

/** Numpy broadcasting of static shapes (−1, the batch, matches −1 or 1). */
function broadcast(shapes: Shape[]): Shape {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const dims = shapes.map((s) => s[s.length - rank + i] ?? 1);
    out.push(dims.find((d) => d !== 1) ?? 1);
  }
  return out;
}
