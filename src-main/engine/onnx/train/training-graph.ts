import type { LayersModel } from '@tensorflow/tfjs';
import { buildOnnxGraph, type MaskInput } from '../convert/convert-model';
import { attr, type ValueInfo } from '../convert/graph-builder';
import type { Layer } from '../convert/layer-graph';
import type { WeightInput } from '../convert/weight-feed';
import { trains } from '../../training/training-model';
import { appendAdamUpdate, type AdamGraph, type AdamHyper } from './adam-update';
import { appendBackward, untrainable } from './backward';
import { inferShapes, type Shape } from './graph-shapes';

/** How the loss reads the logits: softmax over the classes, or one sigmoid unit. */
export type OutputKind = 'softmax' | 'sigmoid';

/** The ONNX graphs that train a model's trainable part, and how to feed them. */
export interface TrainingGraphs {
  /** One step: inputs x, targets, coefficients, weights and masks; outputs logits then one gradient per weight. */
  step: Uint8Array;
  /** Evaluation: inputs x and weights; output logits (Dropout off). */
  evaluate: Uint8Array;
  inputName: string;
  /** Per sample, Keras (NHWC) order. */
  inputShape: number[];
  /** Trained weights fed in Keras layout, in the order of the step graph's gradient outputs. */
  weights: WeightInput[];
  masks: MaskInput[];
  /** Targets [N, units] (smoothed one-hot, or 0/1 for sigmoid) and per-sample loss coefficients [N, 1]. */
  targetsName: string;
  coefName: string;
  /** Logit units: the classes, or 1 for sigmoid. */
  units: number;
  logitsName: string;
  gradNames: string[];
  /** The evaluation graph's logits output (its inputs have the step graph's names). */
  evaluateLogitsName: string;
  /**
   * When asked for: the step graph followed by Adam's update — the step's inputs plus the moments
   * and Adam's scalars in, the logits and the updated weights and moments out (no gradients).
   */
  adam: { step: Uint8Array; graph: AdamGraph } | null;
}

/**
 * Builds the graphs that train `model` (a freeze cut's trainable part: one input, ending in the
 * head's Dense whose softmax or sigmoid the loss takes over) on ONNX Runtime. The step graph
 * runs the forward pass with the trained weights and Dropout masks as inputs, the gradient of
 * the weighted cross-entropy at the logits, (softmax(z) − t)·c or (σ(z) − t)·c with c the
 * sample's weight over the batch size, and the backward pass to each weight, in Keras layout.
 * Throws `untrainable` (reason `onnx-untrainable`) or the converter's unsupported-layer error
 * when some part has no ONNX form or gradient here.
 */
export function buildTrainingGraphs(model: LayersModel, output: OutputKind, options: { adam?: AdamHyper } = {}): TrainingGraphs {
  if (model.inputs.length !== 1) throw untrainable(`the trainable part has ${model.inputs.length} inputs`);
  const logitsLayer = model.outputs[0]!.sourceLayer as Layer;
  if (logitsLayer.getClassName() !== 'Dense') throw untrainable('the model does not end in a Dense layer');
  const open = buildOnnxGraph(model, { training: { feeds: trains, logitsLayer: logitsLayer.name, dropout: 'mask' } });
  checkFeeds(model, open.weightInputs);
  const { builder, inputName, inputShape } = open;
  const logits = open.outputs[0]!;
  const units = logits.dims[1] as number;
  if (logits.dims.length !== 2 || (output === 'sigmoid' ? units !== 1 : units < 2)) throw untrainable(`the logits have shape [${logits.dims.join(', ')}]`);
  const forward = [...builder.nodes];

  const targetsName = builder.uniqueName('targets');
  const coefName = builder.uniqueName('loss_coefficients');
  const probabilities =
    output === 'softmax' ? builder.addNode('Softmax', [logits.name], 'probabilities', [attr.int('axis', 1)]) : builder.addNode('Sigmoid', [logits.name], 'probabilities');
  const residual = builder.addNode('Sub', [probabilities.outputs[0]!, targetsName], 'residual').outputs[0]!;
  const seed = builder.addNode('Mul', [residual, coefName], 'logits_grad').outputs[0]!;

  const inputShapes = new Map<string, Shape>([[inputName, [-1, ...inputShape]]]);
  for (const w of open.weightInputs) inputShapes.set(w.name, w.shape);
  for (const m of open.maskInputs) inputShapes.set(m.name, [-1, ...m.shape]);
  const shapes = inferShapes(builder, forward, inputShapes);
  const grads = appendBackward(builder, forward, shapes, { value: logits.name, grad: seed }, open.weightInputs.map((w) => w.name));

  const gradNames = open.weightInputs.map((w) => {
    const name = builder.addNodeNamed('Identity', [grads.get(w.name)!], `grad/${w.name}`).outputs[0]!;
    return name;
  });
  const float = (name: string, dims: (number | string)[]): ValueInfo => ({ name, dims });
  const weightInfos = open.weightInputs.map((w) => float(w.name, w.shape));
  const stepInputs = [
    float(inputName, ['N', ...inputShape]),
    float(targetsName, ['N', units]),
    float(coefName, ['N', 1]),
    ...weightInfos,
    ...open.maskInputs.map((m) => float(m.name, ['N', ...m.shape])),
  ];
  const stepOutputs = [float(logits.name, ['N', units]), ...open.weightInputs.map((w, i) => float(gradNames[i]!, w.shape))];
  const step = builder.toBytes(stepInputs, stepOutputs, `${model.name}_step`, 'Graft training step: forward, loss gradient, backward.');
  let adam: TrainingGraphs['adam'] = null;
  if (options.adam) {
    const graph = appendAdamUpdate(builder, open.weightInputs.map((w, i) => ({ name: w.name, shape: w.shape, grad: gradNames[i]! })), options.adam);
    const bytes = builder.toBytes([...stepInputs, ...graph.inputs], [stepOutputs[0]!, ...graph.outputs], `${model.name}_adam_step`, 'Graft training step with Adam: forward, loss gradient, backward, update.');
    adam = { step: bytes, graph };
  }

  const evaluation = buildOnnxGraph(model, { training: { feeds: trains, logitsLayer: logitsLayer.name, dropout: 'identity' } });
  const sameInputs = evaluation.inputName === inputName && evaluation.weightInputs.every((w, i) => w.name === open.weightInputs[i]?.name);
  if (!sameInputs || evaluation.weightInputs.length !== open.weightInputs.length) throw untrainable('the evaluation graph names its inputs differently');
  const evaluate = evaluation.builder.toBytes(
    [float(evaluation.inputName, ['N', ...inputShape]), ...evaluation.weightInputs.map((w) => float(w.name, w.shape))],
    [float(evaluation.outputs[0]!.name, ['N', units])],
    `${model.name}_evaluate`,
    'Graft evaluation of the trainable part: logits.',
  );
  return {
    step,
    evaluate,
    inputName,
    inputShape,
    weights: open.weightInputs,
    masks: open.maskInputs,
    targetsName,
    coefName,
    units,
    logitsName: logits.name,
    gradNames,
    evaluateLogitsName: evaluation.outputs[0]!.name,
    adam,
  };
}

/** Every trainable weight of the model is fed exactly once (else some weight would silently not train). */
function checkFeeds(model: LayersModel, fed: readonly WeightInput[]): void {
  const expected = model.trainableWeights.length;
  if (fed.length !== expected) throw untrainable(`${fed.length} of ${expected} trainable weights have an ONNX form`);
}
