import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import { GraftError } from '../../api/errors';
import type { Tf } from '../backend';

type Layer = LayersModel['layers'][number];
type GraphNode = Layer['inboundNodes'][number];

/** Layers whose training output is random: they never join a cached prefix, frozen or not. */
const STOCHASTIC = new Set(['Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'SpatialDropout3D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout']);

/** One tensor that crosses the freeze cut. */
export interface CutTensor {
  /** The layer that produces it (in the full model). */
  layer: string;
  /** Which of that layer's outputs (0 for every Keras Applications layer). */
  tensorIndex: number;
  /** Shape without the batch axis. */
  shape: number[];
}

/** A model split at its freeze cut into a frozen prefix and the part that trains. */
export interface ModelSplit {
  /** Tensors from the prefix to the rest, in a fixed order: the prefix's outputs and the suffix's inputs. */
  boundary: CutTensor[];
  /** Layers of the frozen prefix, in topological order (the model's input included). */
  prefixLayers: string[];
  /** The model's inputs → the boundary tensors; holds no trainable weight. */
  prefix: LayersModel;
  /** One input per boundary tensor → the model's outputs, on the model's own layer objects. */
  suffix: LayersModel;
  /** Releases prefix and suffix; the full model keeps its layers and weights. */
  dispose(): void;
}

/** True when a layer changes in training: it is trainable and has trainable weights now. */
function trains(layer: Layer): boolean {
  return layer.trainable && layer.trainableWeights.length > 0;
}

function producer(t: SymbolicTensor): GraphNode {
  const node = t.sourceLayer.inboundNodes[t.nodeIndex];
  if (!node) throw new Error(`Tensor "${t.name}" has no producing node`);
  return node;
}

function isInputNode(node: GraphNode): boolean {
  return node.inboundLayers.length === 0;
}

/** Every node the given tensors depend on (them included), producers before consumers. */
function nodesBehind(outputs: readonly SymbolicTensor[]): GraphNode[] {
  const order: GraphNode[] = [];
  const state = new Map<GraphNode, 'open' | 'done'>();
  const stack: { node: GraphNode; expanded: boolean }[] = outputs.map((t) => ({ node: producer(t), expanded: false })).reverse();
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top.expanded) {
      if (state.get(top.node) !== 'done') order.push(top.node);
      state.set(top.node, 'done');
      continue;
    }
    if (state.has(top.node)) continue;
    state.set(top.node, 'open');
    stack.push({ node: top.node, expanded: true });
    if (isInputNode(top.node)) continue;
    for (const t of [...top.node.inputTensors].reverse()) if (!state.has(producer(t))) stack.push({ node: producer(t), expanded: false });
  }
  return order;
}

/**
 * Splits a model at its freeze cut, as its `trainable` flags stand now. The frozen prefix is
 * every layer application whose inputs all come from the prefix and which neither trains nor is
 * random in training (dropout); the boundary is every prefix tensor that a later layer reads —
 * a residual skip or an Inception branch crossing the cut makes several. Prefix and suffix are
 * new graphs over the model's own layer objects, so training the suffix trains the model, and
 * suffix(prefix(x)) computes model(x). Frozen BatchNormalization in the prefix runs in inference
 * mode there (its cached output must not depend on the batch).
 */
export function splitAtCut(tf: Tf, model: LayersModel): ModelSplit {
  const order = nodesBehind(model.outputs);
  const frozen = new Set<GraphNode>();
  for (const node of order) {
    const layer = node.outboundLayer as Layer;
    if (isInputNode(node)) frozen.add(node);
    else if (!trains(layer) && !STOCHASTIC.has(layer.getClassName()) && node.inputTensors.every((t) => frozen.has(producer(t)))) frozen.add(node);
  }
  if (model.outputs.every((t) => frozen.has(producer(t)))) {
    throw new GraftError('bad-request', 'Nothing in this model trains: unfreeze the head or some blocks.');
  }
  const crossing = new Set<SymbolicTensor>();
  for (const node of order) {
    if (!frozen.has(node)) for (const t of node.inputTensors) if (frozen.has(producer(t))) crossing.add(t);
  }
  const rank = new Map(order.map((node, i) => [node, i]));
  const boundary = [...crossing].sort((a, b) => rank.get(producer(a))! - rank.get(producer(b))! || a.tensorIndex - b.tensorIndex);

  const prefixInputs = model.inputs.map((t) => tf.input({ shape: t.shape.slice(1) as number[], dtype: t.dtype, name: t.sourceLayer.name }));
  const prefixMap = new Map<SymbolicTensor, SymbolicTensor>(model.inputs.map((t, i) => [t, prefixInputs[i]!]));
  const prefixNodes = nodesBehind(boundary).filter((node) => !isInputNode(node));
  replay(prefixNodes, prefixMap);
  const prefix = tf.model({ inputs: prefixInputs, outputs: boundary.map((t) => prefixMap.get(t)!), name: `${model.name}_prefix` });

  const names = new Set<string>();
  const suffixInputs = boundary.map((t) => tf.input({ shape: t.shape.slice(1) as number[], dtype: t.dtype, name: uniqueName(`cut_${t.sourceLayer.name}`, names) }));
  const suffixMap = new Map<SymbolicTensor, SymbolicTensor>(boundary.map((t, i) => [t, suffixInputs[i]!]));
  replay(order.filter((node) => !frozen.has(node)), suffixMap);
  const suffix = tf.model({ inputs: suffixInputs, outputs: model.outputs.map((t) => suffixMap.get(t)!), name: `${model.name}_suffix` });

  return {
    boundary: boundary.map((t) => ({ layer: t.sourceLayer.name, tensorIndex: t.tensorIndex, shape: t.shape.slice(1) as number[] })),
    prefixLayers: [...new Set(order.filter((node) => frozen.has(node)).map((node) => node.outboundLayer.name))],
    prefix,
    suffix,
    // Replaying a layer counts one more reference to it; these disposals give those back only.
    dispose: () => {
      suffix.dispose();
      prefix.dispose();
    },
  };
}

/** Applies each node's layer again, in order, on the tensors `mapped` gives for its inputs. */
function replay(nodes: readonly GraphNode[], mapped: Map<SymbolicTensor, SymbolicTensor>): void {
  for (const node of nodes) {
    const args = node.inputTensors.map((t) => {
      const replacement = mapped.get(t);
      if (!replacement) throw new Error(`Layer "${node.outboundLayer.name}" reads "${t.name}", which is on neither side of the cut`);
      return replacement;
    });
    const out = node.outboundLayer.apply(args.length === 1 ? args[0]! : args, node.callArgs ?? {}) as SymbolicTensor | SymbolicTensor[];
    const outs = Array.isArray(out) ? out : [out];
    node.outputTensors.forEach((t, i) => mapped.set(t, outs[i]!));
  }
}

function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let i = 1; taken.has(candidate); i++) candidate = `${name}_${i}`;
  taken.add(candidate);
  return candidate;
}
