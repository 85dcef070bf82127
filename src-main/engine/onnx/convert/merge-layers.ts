import { configOf, graphAxis, outputShape, unsupported, type LayerConverter, type Value } from './context';
import { attr } from './graph-builder';
import type { LayerCall } from './layer-graph';

/** Variadic element-wise ONNX ops for Keras merge layers (inputs of equal shape). */
const ELEMENTWISE: Record<string, string> = { Add: 'Sum', Multiply: 'Mul', Maximum: 'Max', Minimum: 'Min', Average: 'Mean' };

/** Add / Multiply / Maximum / Minimum / Average; two inputs use the binary op (Add, Mul) ORT fuses best. */
export const convertMerge: LayerConverter = (call, inputs, ctx) => {
  const className = call.layer.getClassName();
  const op = ELEMENTWISE[className];
  if (!op) throw unsupported(call.layer);
  sameShapes(call, inputs);
  const names = inputs.map((v) => v.name);
  let node;
  if (names.length === 2 && (op === 'Sum' || op === 'Mul')) node = ctx.builder.addNode(op === 'Sum' ? 'Add' : 'Mul', names, call.layer.name);
  else node = ctx.builder.addNode(op, names, call.layer.name);
  return { name: node.outputs[0]!, shape: outputShape(call) };
};

/** Concatenate along its Keras axis; the channel axis of a feature map is axis 1 inside the graph. */
export const convertConcatenate: LayerConverter = (call, inputs, ctx) => {
  sameRank(call, inputs);
  const raw = configOf(call.layer).axis ?? -1;
  if (typeof raw !== 'number') throw unsupported(call.layer, `axis ${JSON.stringify(raw)}`);
  const axis = graphAxis(call.layer, raw, inputs[0]!.shape.length);
  const node = ctx.builder.addNode('Concat', inputs.map((v) => v.name), call.layer.name, [attr.int('axis', axis)]);
  return { name: node.outputs[0]!, shape: outputShape(call) };
};

function sameRank(call: LayerCall, inputs: Value[]): void {
  if (inputs.length < 2) throw unsupported(call.layer, `expected at least two inputs, got ${inputs.length}`);
  const rank = inputs[0]!.shape.length;
  if (inputs.some((v) => v.shape.length !== rank)) throw unsupported(call.layer, 'inputs of different ranks');
}

// Keras merge layers may broadcast; a broadcast across NCHW/NHWC would be wrong, so only equal shapes pass.
function sameShapes(call: LayerCall, inputs: Value[]): void {
  sameRank(call, inputs);
  const first = inputs[0]!.shape.slice(1).join(',');
  if (inputs.some((v) => v.shape.slice(1).join(',') !== first)) throw unsupported(call.layer, 'inputs of different shapes (broadcasting)');
}
