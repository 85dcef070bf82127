import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import type { LayersModel, Optimizer } from '@tensorflow/tfjs';
import type { Tf } from '../../backend';
import { weightRole } from '../../models/weights/weight-roles';
import type { StepOptions, SuffixStepper } from '../../training/fit-loop';
import { crossEntropyFromLogits, hitsFromLogits, smoothedTargets } from '../../training/logits-loss';
import { createRng, deriveSeed } from '../../training/rng';
import type { OnnxRuntime } from '../ort-loader';
import { sessionOptions } from '../ort-session';
import { untrainable } from './backward';
import { adamInGraph, tfjsUpdate } from './step-updates';
import { adamHyper } from './tfjs-adam-state';
import { buildTrainingGraphs, type TrainingGraphs } from './training-graph';

/** Settings of the ONNX Runtime stepper. */
export interface OnnxStepperOptions extends Pick<StepOptions, 'classWeights' | 'labelSmoothing' | 'output'> {
  /** Seeds the Dropout masks (step by step, so a resumed run draws the same ones). */
  seed: number;
  /** Intra-op threads for the training sessions. */
  threads: number;
  /**
   * Where the update happens: 'graph' (the default when the optimizer is tfjs's Adam) runs Adam
   * inside the step graph on weights and moments the stepper keeps, written back to tfjs by
   * `sync`; 'tfjs' hands the gradients to the tfjs optimizer every step (any optimizer).
   */
  update?: 'graph' | 'tfjs';
}

/** An ONNX Runtime stepper; dispose it to release its sessions. */
export interface OnnxStepper extends SuffixStepper {
  /** Where the optimizer's update runs (see OnnxStepperOptions.update). */
  readonly update: 'graph' | 'tfjs';
  dispose(): Promise<void>;
}

type Variable = LayersModel['trainableWeights'][number];

/**
 * Trains a freeze cut's trainable part on ONNX Runtime: each step feeds the current weights into
 * a forward-and-backward graph. With tfjs's Adam the update runs in the same graph (weights and
 * moments kept here between steps, written back to the tfjs variables and optimizer by `sync`,
 * which the loop calls before every checkpoint); with any other optimizer the gradients go to the
 * loop's tfjs optimizer. Either way the optimizer state, the checkpoints and the learning-rate
 * schedule are tfjs's — only the passes move to the faster runtime. The loss and the hits come
 * from the step's logits, before the update, as on tfjs.
 */
export async function createOnnxStepper(tf: Tf, runtime: OnnxRuntime, suffix: LayersModel, optimizer: Optimizer, options: OnnxStepperOptions): Promise<OnnxStepper> {
  const hyper = options.update === 'tfjs' ? null : adamHyper(optimizer);
  const graphs = buildTrainingGraphs(suffix, options.output, hyper ? { adam: hyper } : {});
  const variables = graphs.weights.map((w) => variableOf(w.layer, w.role));
  // The optimizer keeps its slots by position: gradients go to it in the suffix's own order.
  const order = suffix.trainableWeights.map((v) => variables.indexOf(v));
  if (order.some((i) => i < 0)) throw untrainable('a trainable weight has no place in the graph');
  const { ort } = runtime;
  const settings = sessionOptions({ threads: options.threads });
  const step = await ort.InferenceSession.create(graphs.adam?.step ?? graphs.step, settings);
  let evaluate: InferenceSession;
  try {
    evaluate = await ort.InferenceSession.create(graphs.evaluate, settings);
  } catch (error) {
    await step.release();
    throw error;
  }

  const tensor = (data: Float32Array, dims: number[]): OrtTensor => new ort.Tensor('float32', data, dims);
  const inputOf = (inputs: Float32Array[], n: number): OrtTensor => {
    if (inputs.length !== 1) throw new Error(`The ONNX training graph takes one input; got ${inputs.length}.`);
    return tensor(inputs[0]!, [n, ...graphs.inputShape]);
  };
  const logitsOf = (results: InferenceSession.ReturnType, name = graphs.logitsName): Float32Array => results[name]!.data as Float32Array;
  const update = hyper && graphs.adam ? adamInGraph(tf, graphs, graphs.adam.graph, variables, order, optimizer, hyper, tensor) : tfjsUpdate(tf, graphs, variables, order, optimizer, tensor);

  const evaluateLogits = async (inputs: Float32Array[], n: number): Promise<Float32Array> =>
    logitsOf(await evaluate.run({ [graphs.inputName]: inputOf(inputs, n), ...update.weightFeeds() }), graphs.evaluateLogitsName);

  return {
    runtime: 'onnx',
    update: hyper ? 'graph' : 'tfjs',
    async train(inputs, labels, stepNumber) {
      const n = labels.length;
      const targets = smoothedTargets(labels, graphs.units, options.labelSmoothing);
      const coef = Float32Array.from(labels, (label) => (options.classWeights[label] ?? 1) / n);
      const feeds: Record<string, OrtTensor> = {
        [graphs.inputName]: inputOf(inputs, n),
        [graphs.targetsName]: tensor(targets, [n, graphs.units]),
        [graphs.coefName]: tensor(coef, [n, 1]),
        ...update.stepFeeds(),
        ...dropoutMasks(graphs, n, deriveSeed(options.seed, 'dropout', stepNumber), tensor),
      };
      const results = await step.run(feeds, update.fetches);
      const logits = logitsOf(results);
      const perSample = crossEntropyFromLogits(logits, graphs.units, targets);
      let loss = 0;
      labels.forEach((label, i) => (loss += perSample[i]! * (options.classWeights[label] ?? 1)));
      loss /= n;
      const hits = hitsFromLogits(logits, graphs.units, labels);
      // A step whose loss is not finite changes nothing (the loop stops the run).
      if (Number.isFinite(loss)) update.apply();
      return { loss, hits };
    },
    async score(inputs, labels) {
      const logits = await evaluateLogits(inputs, labels.length);
      const perSample = crossEntropyFromLogits(logits, graphs.units, smoothedTargets(labels, graphs.units, 0));
      return { lossSum: perSample.reduce((a, b) => a + b, 0), hits: hitsFromLogits(logits, graphs.units, labels) };
    },
    logits: evaluateLogits,
    sync: () => update.sync(),
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
