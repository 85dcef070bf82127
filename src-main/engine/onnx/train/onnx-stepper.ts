import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import type { LayersModel, NamedTensorMap, Optimizer, Variable as TfVariable } from '@tensorflow/tfjs';
import type { Tf } from '../../backend';
import { weightRole } from '../../models/weights/weight-roles';
import type { StepOptions, SuffixStepper } from '../../training/fit-loop';
import { crossEntropyFromLogits, hitsFromLogits, smoothedTargets } from '../../training/logits-loss';
import { createRng, deriveSeed } from '../../training/rng';
import type { OnnxRuntime } from '../ort-loader';
import { sessionOptions } from '../ort-session';
import { untrainable } from './backward';
import { buildTrainingGraphs, type TrainingGraphs } from './training-graph';

/** Settings of the ONNX Runtime stepper. */
export interface OnnxStepperOptions extends Pick<StepOptions, 'classWeights' | 'labelSmoothing' | 'output'> {
  /** Seeds the Dropout masks (step by step, so a resumed run draws the same ones). */
  seed: number;
  /** Intra-op threads for the training sessions. */
  threads: number;
}

/** An ONNX Runtime stepper; dispose it to release its sessions. */
export interface OnnxStepper extends SuffixStepper {
  dispose(): Promise<void>;
}

type Variable = LayersModel['trainableWeights'][number];

/**
 * Trains a freeze cut's trainable part on ONNX Runtime: each step feeds the current weights
 * (read from the tfjs variables) into a forward-and-backward graph and hands the gradients to
 * the loop's tfjs optimizer, so the optimizer, its state, the checkpoints and the learning-rate
 * schedule are the same as on tfjs — only the passes move to the faster runtime. The loss and
 * the hits come from the step's logits, before the update, as on tfjs.
 */
export async function createOnnxStepper(tf: Tf, runtime: OnnxRuntime, suffix: LayersModel, optimizer: Optimizer, options: OnnxStepperOptions): Promise<OnnxStepper> {
  const graphs = buildTrainingGraphs(suffix, options.output);
  const variables = graphs.weights.map((w) => variableOf(w.layer, w.role));
  // The optimizer keeps its slots by position: gradients go to it in the suffix's own order.
  const order = suffix.trainableWeights.map((v) => variables.indexOf(v));
  if (order.some((i) => i < 0)) throw untrainable('a trainable weight has no place in the graph');
  const { ort } = runtime;
  const settings = sessionOptions({ threads: options.threads });
  const step = await ort.InferenceSession.create(graphs.step, settings);
  let evaluate: InferenceSession;
  try {
    evaluate = await ort.InferenceSession.create(graphs.evaluate, settings);
  } catch (error) {
    await step.release();
    throw error;
  }

  const tensor = (data: Float32Array, dims: number[]): OrtTensor => new ort.Tensor('float32', data, dims);
  const weightFeeds = (): Record<string, OrtTensor> =>
    Object.fromEntries(graphs.weights.map((w, i) => [w.name, tensor(variables[i]!.read().dataSync() as Float32Array, w.shape)]));
  const inputOf = (inputs: Float32Array[], n: number): OrtTensor => {
    if (inputs.length !== 1) throw new Error(`The ONNX training graph takes one input; got ${inputs.length}.`);
    return tensor(inputs[0]!, [n, ...graphs.inputShape]);
  };
  const logitsOf = (results: InferenceSession.ReturnType, name = graphs.logitsName): Float32Array => results[name]!.data as Float32Array;
  // ONNX Runtime writes the gradients into the same buffers every step (their shapes do not
  // depend on the batch): a step allocates no gradient memory, so the collector has less to do.
  const gradients = graphs.weights.map((w) => tensor(new Float32Array(w.shape.reduce((a, b) => a * b, 1)), w.shape));
  const fetches: Record<string, OrtTensor | null> = { [graphs.logitsName]: null };
  graphs.gradNames.forEach((name, i) => (fetches[name] = gradients[i]!));

  const evaluateLogits = async (inputs: Float32Array[], n: number): Promise<Float32Array> =>
    logitsOf(await evaluate.run({ [graphs.inputName]: inputOf(inputs, n), ...weightFeeds() }), graphs.evaluateLogitsName);

  return {
    runtime: 'onnx',
    async train(inputs, labels, stepNumber) {
      const n = labels.length;
      const targets = smoothedTargets(labels, graphs.units, options.labelSmoothing);
      const coef = Float32Array.from(labels, (label) => (options.classWeights[label] ?? 1) / n);
      const feeds: Record<string, OrtTensor> = {
        [graphs.inputName]: inputOf(inputs, n),
        [graphs.targetsName]: tensor(targets, [n, graphs.units]),
        [graphs.coefName]: tensor(coef, [n, 1]),
        ...weightFeeds(),
        ...dropoutMasks(graphs, n, deriveSeed(options.seed, 'dropout', stepNumber), tensor),
      };
      const results = await step.run(feeds, fetches);
      const logits = logitsOf(results);
      const perSample = crossEntropyFromLogits(logits, graphs.units, targets);
      let loss = 0;
      labels.forEach((label, i) => (loss += perSample[i]! * (options.classWeights[label] ?? 1)));
      loss /= n;
      const hits = hitsFromLogits(logits, graphs.units, labels);
      if (Number.isFinite(loss)) {
        // In the suffix's order (string keys keep insertion order).
        const named: NamedTensorMap = {};
        for (const i of order) {
          const name = (variables[i]!.read() as TfVariable).name;
          named[name] = tf.tensor(gradients[i]!.data as Float32Array, graphs.weights[i]!.shape, 'float32');
        }
        try {
          optimizer.applyGradients(named);
        } finally {
          tf.dispose(Object.values(named));
        }
      }
      return { loss, hits };
    },
    async score(inputs, labels) {
      const logits = await evaluateLogits(inputs, labels.length);
      const perSample = crossEntropyFromLogits(logits, graphs.units, smoothedTargets(labels, graphs.units, 0));
      return { lossSum: perSample.reduce((a, b) => a + b, 0), hits: hitsFromLogits(logits, graphs.units, labels) };
    },
    logits: evaluateLogits,
    async dispose() {
      await Promise.all([step.release(), evaluate.release()]);
    },
  };
}

/** The tfjs variable of a layer's weight with `role`. */
function variableOf(layer: TrainingGraphs['weights'][number]['layer'], role: string): Variable {
  const found = layer.trainableWeights.filter((v) => weightRole(v.originalName) === role);
  if (found.length !== 1) throw untrainable(`layer "${layer.name}" has ${found.length} trainable ${role} weights`);
  return found[0]!;
}

/** Keras's inverted Dropout masks for one step: 1/(1 − rate) with probability 1 − rate, else 0. */
function dropoutMasks(graphs: TrainingGraphs, n: number, seed: number, tensor: (data: Float32Array, dims: number[]) => OrtTensor): Record<string, OrtTensor> {
  const rng = createRng(seed);
  const feeds: Record<string, OrtTensor> = {};
  for (const mask of graphs.masks) {
    const size = n * mask.shape.reduce((a, b) => a * b, 1);
    const keep = 1 / (1 - mask.rate);
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = rng.next() < mask.rate ? 0 : keep;
    feeds[mask.name] = tensor(data, [n, ...mask.shape]);
  }
  return feeds;
}
