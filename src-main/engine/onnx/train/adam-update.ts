import type { GraphBuilder, ValueInfo } from '../convert/graph-builder';

/** Adam's constants (tfjs's, which are Keras's). */
export interface AdamHyper {
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** The inputs and outputs Adam adds to a step graph. */
export interface AdamGraph {
  /** Scalar inputs: −learning rate, 1 − β1ᵏ and 1 − β2ᵏ for the k-th step. */
  negLrName: string;
  c1Name: string;
  c2Name: string;
  /** Per weight, in the weights' order: the first and second moments in, the updated weight and moments out. */
  moments1: string[];
  moments2: string[];
  nextWeights: string[];
  nextMoments1: string[];
  nextMoments2: string[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
}

/**
 * Appends tfjs's Adam update to a step graph, op for op as tfjs 4.22 computes it in float32:
 * m' = m·β1 + g·(1 − β1), v' = v·β2 + g²·(1 − β2), w' = (m'/c1) / (√(v'/c2) + ε) · (−lr) + w,
 * with c1 = 1 − β1ᵏ and c2 = 1 − β2ᵏ fed per step (tfjs's accumulated powers), so a step on
 * ONNX Runtime leaves the weights and moments tfjs's Adam would.
 */
export function appendAdamUpdate(builder: GraphBuilder, weights: readonly { name: string; shape: number[]; grad: string }[], hyper: AdamHyper): AdamGraph {
  const scalar = (base: string, value: number) => builder.addScalar(base, value).name;
  const op = (kind: string, inputs: string[], base: string) => builder.addNode(kind, inputs, base).outputs[0]!;
  const negLrName = builder.uniqueName('adam/neg_lr');
  const c1Name = builder.uniqueName('adam/one_minus_beta1_power');
  const c2Name = builder.uniqueName('adam/one_minus_beta2_power');
  const beta1 = scalar('adam/beta1', hyper.beta1);
  const beta2 = scalar('adam/beta2', hyper.beta2);
  const rest1 = scalar('adam/one_minus_beta1', 1 - hyper.beta1);
  const rest2 = scalar('adam/one_minus_beta2', 1 - hyper.beta2);
  const epsilon = scalar('adam/epsilon', hyper.epsilon);
  const graph: AdamGraph = { negLrName, c1Name, c2Name, moments1: [], moments2: [], nextWeights: [], nextMoments1: [], nextMoments2: [], inputs: [], outputs: [] };
  graph.inputs.push({ name: negLrName, dims: [] }, { name: c1Name, dims: [] }, { name: c2Name, dims: [] });
  for (const w of weights) {
    const m = builder.uniqueName(`${w.name}/m`);
    const v = builder.uniqueName(`${w.name}/v`);
    const nextM = op('Add', [op('Mul', [m, beta1], `${m}_decay`), op('Mul', [w.grad, rest1], `${m}_new`)], `${m}_next`);
    const nextV = op('Add', [op('Mul', [v, beta2], `${v}_decay`), op('Mul', [op('Mul', [w.grad, w.grad], `${v}_g2`), rest2], `${v}_new`)], `${v}_next`);
    const corrected = op('Div', [nextM, c1Name], `${m}_corrected`);
    const scale = op('Add', [op('Sqrt', [op('Div', [nextV, c2Name], `${v}_corrected`)], `${v}_root`), epsilon], `${v}_scale`);
    const nextW = op('Add', [op('Mul', [op('Div', [corrected, scale], `${w.name}_direction`), negLrName], `${w.name}_delta`), w.name], `${w.name}_next`);
    graph.moments1.push(m);
    graph.moments2.push(v);
    graph.nextWeights.push(nextW);
    graph.nextMoments1.push(nextM);
    graph.nextMoments2.push(nextV);
    graph.inputs.push({ name: m, dims: w.shape }, { name: v, dims: w.shape });
    graph.outputs.push({ name: nextW, dims: w.shape }, { name: nextM, dims: w.shape }, { name: nextV, dims: w.shape });
  }
  return graph;
}
