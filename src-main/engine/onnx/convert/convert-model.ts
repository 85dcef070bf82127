import type { LayersModel } from '@tensorflow/tfjs';
import { GraftError } from '../../../api/errors';
import { activationName } from './activations';
import { configOf, materialize, outputShape, unsupported, type ConvertContext, type Value } from './context';
import { PAD_ABSORBERS } from './conv-layers';
import { attr, GraphBuilder, type ValueInfo } from './graph-builder';
import { LAYER_CONVERTERS } from './layer-converters';
import { layerGraph, type Layer, type LayerCall } from './layer-graph';
import { constantWeight, fedWeight, type WeightInput } from './weight-feed';

/** What to convert: the whole model, or the prefix that feeds the named layers (in this order). */
export interface ConvertOptions {
  outputs?: readonly string[];
  /** Builds a graph to train with instead of a frozen one. */
  training?: TrainingGraphOptions;
}

/** How a training graph differs from a frozen one. */
export interface TrainingGraphOptions {
  /** Layers whose weights are graph inputs (fed on every run, in Keras layout) instead of constants. */
  feeds(layer: Layer): boolean;
  /** The layer whose activation is left off, so the graph outputs its logits. */
  logitsLayer?: string;
  /** Dropout as a mask fed on every run (a training step) or the identity (evaluation). */
  dropout: 'mask' | 'identity';
}

/** A Dropout mask fed to a training graph: per sample, in graph layout (NCHW for feature maps). */
export interface MaskInput {
  name: string;
  layer: string;
  rate: number;
  shape: number[];
}

/** A converted graph still open for more nodes (a training graph adds its backward pass). */
export interface OpenGraph {
  builder: GraphBuilder;
  inputName: string;
  inputShape: number[];
  /** Graph outputs as they are (4-D ones already back in NHWC). */
  outputs: ValueInfo[];
  outputLayers: string[];
  outputShapes: number[][];
  weightInputs: WeightInput[];
  maskInputs: MaskInput[];
}

/** A serialised ONNX model and how to feed it: NHWC float32 in, one output per requested layer. */
export interface ConvertedGraph {
  bytes: Uint8Array;
  inputName: string;
  /** Per image, without the batch: [height, width, channels] for images. */
  inputShape: number[];
  /** ONNX output names, in the order of `outputLayers`. */
  outputNames: string[];
  /** The Keras layers the outputs come from. */
  outputLayers: string[];
  /** Per output, without the batch, in Keras (channels-last) order — the same as tfjs. */
  outputShapes: number[][];
}

/**
 * Converts a tfjs-layers model (or its prefix up to `outputs`) to an ONNX model, opset 17.
 * The graph takes NHWC float32 like tfjs, transposes once to NCHW, and gives outputs in Keras
 * layout (4-D outputs are transposed back). Unsupported layers throw a GraftError naming them.
 */
export function convertToOnnx(model: LayersModel, options: ConvertOptions = {}): ConvertedGraph {
  const open = buildOnnxGraph(model, options);
  const { builder, inputName, inputShape, outputs } = open;
  const bytes = builder.toBytes([{ name: inputName, dims: ['N', ...inputShape] }], outputs, model.name, `Converted by Graft from tfjs-layers model "${model.name}".`);
  return { bytes, inputName, inputShape, outputNames: outputs.map((o) => o.name), outputLayers: open.outputLayers, outputShapes: open.outputShapes };
}

/** Converts a model (or its prefix) into a graph builder without serialising it; see `convertToOnnx`. */
export function buildOnnxGraph(model: LayersModel, options: ConvertOptions = {}): OpenGraph {
  const graph = layerGraph(model, options.outputs);
  const builder = new GraphBuilder();
  const inputShape = staticShape(graph.input.tensor.shape.slice(1), `input of model "${model.name}"`);
  const inputName = builder.uniqueName(graph.input.tensor.sourceLayer.name);
  const values = new Map<string, Value>();
  let entry: Value = { name: inputName, shape: [null, ...inputShape] };
  if (inputShape.length === 3) {
    entry = { name: builder.addNode('Transpose', [inputName], `${inputName}_nchw`, [attr.ints('perm', [0, 3, 1, 2])]).outputs[0]!, shape: entry.shape };
  }
  values.set(graph.input.key, entry);

  const requested = new Set(graph.outputs.map((o) => o.ref.key));
  const training = options.training;
  const weightInputs: WeightInput[] = [];
  const maskInputs: MaskInput[] = [];
  const ctx: ConvertContext = {
    weight: (layer, role, value, layout) =>
      training?.feeds(layer) ? fedWeight(builder, weightInputs, layer, role, value, layout) : constantWeight(builder, `${layer.name}_${role}`, value, layout),
    feeds: (layer) => training?.feeds(layer) ?? false,
    activationOf: (layer) => (training?.logitsLayer === layer.name ? 'linear' : activationName(configOf(layer))),
    dropout(call, input, rate) {
      const shape = outputShape(call);
      if (training?.dropout !== 'mask' || rate === 0) return { name: input.name, shape };
      const perSample = input.shape.slice(1) as number[];
      const name = builder.uniqueName(`${call.layer.name}/mask`);
      maskInputs.push({ name, layer: call.layer.name, rate, shape: perSample.length === 3 ? [perSample[2]!, perSample[0]!, perSample[1]!] : perSample });
      return { name: builder.addNode('Mul', [input.name, name], call.layer.name).outputs[0]!, shape };
    },
    builder,
    soleConsumer(call: LayerCall): LayerCall | null {
      const out = call.outputs[0];
      if (!out || call.outputs.length !== 1 || requested.has(out.key)) return null;
      const readers = graph.consumers.get(out.key) ?? [];
      return readers.length === 1 ? readers[0]! : null;
    },
  };

  for (const call of graph.calls) {
    const className = call.layer.getClassName();
    const convert = LAYER_CONVERTERS[className];
    if (!convert) throw unsupported(call.layer);
    if (call.outputs.length !== 1) throw unsupported(call.layer, `it has ${call.outputs.length} outputs`);
    const inputs = call.inputs.map((ref) => {
      const value = values.get(ref.key);
      if (!value) throw new Error(`Layer "${call.layer.name}" reads a tensor that was not converted (${ref.tensor.name}).`);
      return PAD_ABSORBERS.has(className) ? value : materialize(value, ctx);
    });
    values.set(call.outputs[0]!.key, convert(call, inputs, ctx));
  }

  const outputs: ValueInfo[] = [];
  const outputShapes: number[][] = [];
  const taken = new Set<string>([inputName]);
  for (const { name, ref } of graph.outputs) {
    const value = materialize(values.get(ref.key)!, ctx);
    const shape = staticShape(value.shape.slice(1), `output "${name}"`);
    let outName = value.name;
    // 4-D outputs leave in Keras's NHWC order so callers (and the tfjs trainable part) read them unchanged.
    if (shape.length === 3) outName = builder.addNode('Transpose', [value.name], `${name}_nhwc`, [attr.ints('perm', [0, 2, 3, 1])]).outputs[0]!;
    else if (taken.has(outName)) outName = builder.addNode('Identity', [value.name], name).outputs[0]!;
    taken.add(outName);
    outputs.push({ name: outName, dims: ['N', ...shape] });
    outputShapes.push(shape);
  }
  return { builder, inputName, inputShape, outputs, outputLayers: graph.outputs.map((o) => o.name), outputShapes, weightInputs, maskInputs };
}

function staticShape(shape: readonly (number | null)[], what: string): number[] {
  if (shape.some((d) => d === null)) {
    throw new GraftError('bad-request', `The ${what} has no fixed size ([${shape.map((d) => d ?? '?').join(', ')}]); ONNX conversion needs one.`);
  }
  return shape as number[];
}
