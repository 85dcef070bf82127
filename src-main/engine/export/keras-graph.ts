import type { LayersModel } from '@tensorflow/tfjs';
import { GraftError } from '../../api/errors';
import type { ModelLayer } from './keras-layer-config';

type TfjsNode = ModelLayer['inboundNodes'][number];

/** A tensor as Keras addresses it: the layer, which of its calls, which output; plus its shape. */
export interface TensorRef {
  layer: string;
  node: number;
  tensor: number;
  shape: (number | null)[];
}

/** One call of a layer inside the model: the tensors it was called on, in order. */
export interface LayerCall {
  inputs: TensorRef[];
}

/** A layer with its calls inside this model (none for an input layer). */
export interface GraphLayer {
  layer: ModelLayer;
  calls: LayerCall[];
}

/** A Functional model's graph in the order Keras lists (and loads) its layers. */
export interface KerasGraph {
  name: string;
  layers: GraphLayer[];
  inputs: TensorRef[];
  outputs: TensorRef[];
}

function nodeKey(layer: ModelLayer, index: number): string {
  return `${layer.name}_ib-${index}`;
}

/**
 * The model's layers in Keras's `model.layers` order, which is what its loaders walk: the
 * legacy `.h5` loader pairs weights with layers by this order, and Keras 3 numbers the
 * `layers/<class>_<n>` groups of `model.weights.h5` by it. Keras (2 and 3 alike) derives it
 * from the graph alone: a depth-first walk back from the outputs numbers each layer when first
 * reached; a layer's depth is its longest distance to an output; layers go deepest first, ties
 * by that number. Computed here rather than trusting tfjs's `model.layers`, so a file matches
 * what Keras will rebuild from it.
 */
function kerasLayerOrder(model: LayersModel, own: (node: TfjsNode) => boolean): ModelLayer[] {
  const firstSeen = new Map<ModelLayer, number>();
  const finished = new Set<TfjsNode>();
  const inProgress = new Set<TfjsNode>();
  const ordered: TfjsNode[] = [];
  const visit = (layer: ModelLayer, index: number): void => {
    const node = layer.inboundNodes[index];
    if (!node || finished.has(node)) return;
    if (inProgress.has(node)) throw new GraftError('internal', `The model's graph has a cycle through layer "${layer.name}".`);
    if (!firstSeen.has(layer)) firstSeen.set(layer, firstSeen.size);
    inProgress.add(node);
    node.inboundLayers.forEach((parent, i) => visit(parent, node.nodeIndices[i] ?? 0));
    inProgress.delete(node);
    finished.add(node);
    ordered.push(node);
  };
  model.outputLayers.forEach((layer, i) => visit(layer, model.outputLayersNodeIndices[i] ?? 0));

  const nodeDepth = new Map<TfjsNode, number>();
  const layerDepth = new Map<ModelLayer, number>();
  for (const node of [...ordered].reverse()) {
    if (!own(node)) continue;
    const layer = node.outboundLayer;
    const depth = Math.max(nodeDepth.get(node) ?? 0, layerDepth.get(layer) ?? 0);
    layerDepth.set(layer, depth);
    nodeDepth.set(node, depth);
    node.inboundLayers.forEach((parent, i) => {
      const parentNode = parent.inboundNodes[node.nodeIndices[i] ?? 0];
      if (parentNode) nodeDepth.set(parentNode, Math.max(depth + 1, nodeDepth.get(parentNode) ?? 0));
    });
  }
  // Inputs no output depends on still belong to the model (Keras keeps them at depth 0).
  model.inputLayers.forEach((layer) => {
    if (!layerDepth.has(layer)) {
      layerDepth.set(layer, 0);
      firstSeen.set(layer, -1);
    }
  });
  return [...layerDepth.keys()].sort(
    (a, b) => (layerDepth.get(b) ?? 0) - (layerDepth.get(a) ?? 0) || (firstSeen.get(a) ?? 0) - (firstSeen.get(b) ?? 0),
  );
}

/**
 * Reads a tfjs Functional model as Keras serialises one: layers in Keras's order, each call
 * of a layer that belongs to this model (calls made for other models sharing the layer, such
 * as a training suffix, are left out and the rest renumbered, as Keras's `get_config` does),
 * and the model's inputs and outputs.
 */
export function kerasGraph(model: LayersModel): KerasGraph {
  const own = (node: TfjsNode): boolean => {
    const index = node.outboundLayer.inboundNodes.indexOf(node);
    return model.containerNodes.has(nodeKey(node.outboundLayer, index));
  };
  // Old node index → index among the model's own calls of that layer.
  const renumbered = new Map<string, number>();
  for (const layer of model.layers) {
    let kept = 0;
    layer.inboundNodes.forEach((node, i) => {
      if (own(node)) renumbered.set(nodeKey(layer, i), kept++);
    });
  }
  const ref = (layer: ModelLayer, node: number, tensor: number): TensorRef => {
    const output = layer.inboundNodes[node]?.outputTensors[tensor];
    if (!output) throw new GraftError('internal', `Layer "${layer.name}" has no output ${tensor} at call ${node}.`);
    return { layer: layer.name, node: renumbered.get(nodeKey(layer, node)) ?? 0, tensor, shape: [...output.shape] };
  };
  const layers = kerasLayerOrder(model, own).map((layer) => ({
    layer,
    calls: layer.inboundNodes
      .filter((node) => own(node) && node.inboundLayers.length > 0)
      .map((node) => ({ inputs: node.inboundLayers.map((parent, i) => ref(parent, node.nodeIndices[i] ?? 0, node.tensorIndices[i] ?? 0)) })),
  }));
  return {
    name: model.name,
    layers,
    inputs: model.inputLayers.map((layer, i) => ref(layer, model.inputLayersNodeIndices[i] ?? 0, model.inputLayersTensorIndices[i] ?? 0)),
    outputs: model.outputLayers.map((layer, i) => ref(layer, model.outputLayersNodeIndices[i] ?? 0, model.outputLayersTensorIndices[i] ?? 0)),
  };
}
