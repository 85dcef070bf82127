import { GraftError } from '../../../api/errors';
import type { WeightRole } from '../../models/weights/weight-roles';
import type { GraphBuilder, Initializer, NodeRecord } from './graph-builder';
import type { Layer, LayerCall } from './layer-graph';
import type { WeightLayout, WeightPlacement } from './weight-feed';
import type { WeightArray } from './weights';

/** A convolution whose output nothing else reads yet, so a following BatchNorm can fold into it. */
export interface FoldableConv {
  call: LayerCall;
  node: NodeRecord;
  /** The constant weight and bias (a BatchNorm folds into them in place), or null when fed: then graph nodes fold it. */
  weight: Initializer | null;
  bias: Initializer | null;
}

/**
 * A value in the ONNX graph. Rank-4 values are NCHW inside the graph; `shape` is always the
 * Keras (NHWC) shape, batch first as null, because that is what tfjs reports and what the
 * outside world sees.
 */
export interface Value {
  name: string;
  shape: (number | null)[];
  /**
   * Zero padding [top, left, bottom, right] not yet applied to `name`: the next convolution takes
   * it into its own pads. `shape` is already the padded shape.
   */
  pendingPad?: [number, number, number, number];
  /** Set when this value is a convolution's raw output (no activation after it). */
  conv?: FoldableConv;
}

/** What a layer converter may ask about the graph around it. */
export interface ConvertContext {
  builder: GraphBuilder;
  /** The only layer call reading this call's output, or null when none, several, or it is a requested output. */
  soleConsumer(call: LayerCall): LayerCall | null;
  /** Puts a layer's weight into the graph in `layout`: a constant, or (training graphs) an input fed on every run. */
  weight(layer: Layer, role: WeightRole, value: WeightArray, layout: WeightLayout): WeightPlacement;
  /** True when `layer`'s weights are graph inputs, so nothing may be folded into or out of them. */
  feeds(layer: Layer): boolean;
  /** The activation `layer` applies: its own, or linear for the layer whose logits a training graph outputs. */
  activationOf(layer: Layer): string;
  /** A Dropout layer's output: the identity (inference), or its input times a mask fed on every run (training). */
  dropout(call: LayerCall, input: Value, rate: number): Value;
}

/** Converts one layer call: its input values in, its output value out. */
export type LayerConverter = (call: LayerCall, inputs: Value[], ctx: ConvertContext) => Value;

/** The Keras config of a layer as plain data. */
export function configOf(layer: Layer): Record<string, unknown> {
  return layer.getConfig() as Record<string, unknown>;
}

/** An error for a layer (or a setting of it) the converter does not handle: nothing is approximated. */
export function unsupported(layer: Layer, why?: string): GraftError {
  const detail = why ? `: ${why}` : '';
  return new GraftError(
    'bad-request',
    `Layer "${layer.name}" (${layer.getClassName()}) cannot be converted to ONNX${detail}. Use the tfjs runtime for this model.`,
    { reason: 'onnx-unsupported-layer', layer: layer.name, className: layer.getClassName() },
  );
}

/** The one input of a single-input layer. */
export function onlyInput(call: LayerCall, inputs: Value[]): Value {
  const input = inputs[0];
  if (inputs.length !== 1 || !input) throw unsupported(call.layer, `expected one input, got ${inputs.length}`);
  return input;
}

/** The static Keras output shape of a call (batch as null). */
export function outputShape(call: LayerCall): (number | null)[] {
  const out = call.outputs[0];
  if (!out) throw unsupported(call.layer, 'it has no output');
  return [...out.tensor.shape];
}

/** A value with no pending zero padding: materialises it as a Pad node when a non-convolution reads it. */
export function materialize(value: Value, ctx: ConvertContext): Value {
  if (!value.pendingPad) return value;
  const [top, left, bottom, right] = value.pendingPad;
  const pads = ctx.builder.addInt64s(`${value.name}_pads`, [0, 0, top, left, 0, 0, bottom, right]);
  const node = ctx.builder.addNode('Pad', [value.name, pads.name], `${value.name}_padded`);
  return { name: node.outputs[0]!, shape: value.shape };
}

/** Keras channels-last axis (possibly negative) → the axis of the same data inside the graph (NCHW for rank 4). */
export function graphAxis(layer: Layer, axis: number, rank: number): number {
  const keras = axis < 0 ? axis + rank : axis;
  if (keras < 0 || keras >= rank) throw unsupported(layer, `axis ${axis} is out of range for rank ${rank}`);
  if (rank !== 4) return keras;
  return [0, 2, 3, 1][keras]!;
}

/** Integer pair from a Keras config field that may be a number or a list (`kernelSize`, `strides`). */
export function pair(layer: Layer, value: unknown, field: string): [number, number] {
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) return [value[0] as number, value[1] as number];
  if (Array.isArray(value) && value.length === 1 && typeof value[0] === 'number') return [value[0], value[0]];
  throw unsupported(layer, `unexpected ${field} ${JSON.stringify(value)}`);
}

/** Height and width of a rank-4 Keras shape, which must be static for TensorFlow's `same` padding. */
export function spatial(layer: Layer, shape: (number | null)[]): [number, number] {
  const [, h, w] = shape;
  if (shape.length !== 4 || h == null || w == null) {
    throw unsupported(layer, `it needs a fixed-size 4-D input, got [${shape.map((d) => d ?? '?').join(', ')}]`);
  }
  return [h, w];
}

/** Rejects channels-first layers: the graph's layout bookkeeping assumes Keras's default channels-last. */
export function requireChannelsLast(layer: Layer): void {
  const format = configOf(layer).dataFormat;
  if (format !== undefined && format !== null && format !== 'channelsLast') throw unsupported(layer, `data format ${String(format)}`);
}
