import type { WeightRole } from '../../models/weights/weight-roles';
import type { GraphBuilder, Initializer } from './graph-builder';
import type { Layer } from './layer-graph';
import { addTranspose } from './transpose-nodes';
import { convKernel, denseAsConvKernel, depthwiseKernel, type WeightArray } from './weights';

/** The ONNX layout a Keras weight takes in the graph. */
export type WeightLayout = 'keras' | 'conv' | 'depthwise' | 'dense-as-conv';

/** A weight fed as a graph input in its Keras layout (training graphs), and where it comes from. */
export interface WeightInput {
  /** The graph input's name. */
  name: string;
  layer: Layer;
  role: WeightRole;
  /** Keras shape, which is also the tfjs variable's. */
  shape: number[];
}

/** Where a weight is in the graph: a value name, and its initializer when it is a constant (foldable). */
export interface WeightPlacement {
  name: string;
  constant: Initializer | null;
}

/** Keras data → ONNX data in `layout` (copies). */
function toLayout(weight: WeightArray, layout: WeightLayout): WeightArray {
  switch (layout) {
    case 'keras':
      return weight;
    case 'conv':
      return convKernel(weight);
    case 'depthwise':
      return depthwiseKernel(weight);
    case 'dense-as-conv':
      return denseAsConvKernel(weight);
  }
}

/** The same layout change as graph nodes: a transpose, then the ONNX shape where it differs. */
function layoutNodes(layout: WeightLayout, shape: readonly number[]): { perm: number[] | null; reshape: number[] | null } {
  switch (layout) {
    case 'keras':
      return { perm: null, reshape: null };
    case 'conv':
      return { perm: [3, 2, 0, 1], reshape: null };
    case 'depthwise': {
      // [kh, kw, in, multiplier] → [in, multiplier, kh, kw] → [in·multiplier, 1, kh, kw].
      const [kh, kw, ci, m] = shape as [number, number, number, number];
      return { perm: [2, 3, 0, 1], reshape: m === 1 ? null : [ci * m, 1, kh, kw] };
    }
    case 'dense-as-conv': {
      const [ci, co] = shape as [number, number];
      return { perm: [1, 0], reshape: [co, ci, 1, 1] };
    }
  }
}

/** Adds a weight as a constant in its ONNX layout. */
export function constantWeight(builder: GraphBuilder, base: string, weight: WeightArray, layout: WeightLayout): WeightPlacement {
  const data = toLayout(weight, layout);
  const init = builder.addFloats(base, data.shape, data.data);
  return { name: init.name, constant: init };
}

/**
 * Adds a weight as a graph input in Keras layout, followed by the nodes that put it in ONNX
 * layout; the input is recorded in `inputs`. Gradients flow back through those nodes, so a
 * gradient of the input is in Keras layout, ready for the tfjs variable.
 */
export function fedWeight(builder: GraphBuilder, inputs: WeightInput[], layer: Layer, role: WeightRole, weight: WeightArray, layout: WeightLayout): WeightPlacement {
  const name = builder.uniqueName(`${layer.name}/${role}`);
  inputs.push({ name, layer, role, shape: [...weight.shape] });
  const { perm, reshape } = layoutNodes(layout, weight.shape);
  let value = name;
  if (perm) value = addTranspose(builder, value, weight.shape, perm, `${name}_onnx`);
  if (reshape) value = builder.addNode('Reshape', [value, builder.addInt64s(`${name}_shape`, reshape).name], `${name}_onnx`).outputs[0]!;
  return { name: value, constant: null };
}
