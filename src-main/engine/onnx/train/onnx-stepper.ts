import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import type { LayersModel, NamedTensorMap, Optimizer, Variable as TfVariable } from '@tensorflow/tfjs';
import type { Tf } from '../../backend';
import { weightRole } from '../../models/weights/weight-roles';
import type { StepOptions, SuffixStepper } from '../../training/fit-loop';
import { crossEntropyFromLogits, hitsFromLogits, smoothedTargets } from '../../training/logits-loss';
import { createRng, deriveSeed } from '../../training/rng';
import type { OnnxRuntime } from '../ort-loader';
import { sessionOptions } from '../ort-session';
import { getLearningRate } from '../../training/optimizers';
import type { AdamGraph, AdamHyper } from './adam-update';
import { untrainable } from './backward';
import { adamHyper, readAdamState, writeAdamState } from './tfjs-adam-state';
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

/** How a step's results become new weights: the feeds it needs, where its outputs go, and what follows. */
interface Update {
  /** The current weights, for the evaluation graph. */
  weightFeeds(): Record<string, OrtTensor>;
  /** The step graph's feeds besides the batch: weights, and the optimizer's inputs. */
  stepFeeds(): Record<string, OrtTensor>;
  /** Outputs to fetch: the logits (allocated by ONNX Runtime) and the rest into buffers reused every step. */
  fetches: Record<string, OrtTensor | null>;
  /** Takes the step's outputs as the new state (called when the loss was finite). */
  apply(): void;
  sync(): void;
}

type MakeTensor = (data: Float32Array, dims: number[]) => OrtTensor;

/** Weights and Adam's moments, per weight in the graph's order. */
interface AdamBuffers {
  weights: Float32Array[];
  moments1: Float32Array[];
  moments2: Float32Array[];
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Weights read from the tfjs variables every step; the gradients go to the tfjs optimizer. */
function tfjsUpdate(tf: Tf, graphs: TrainingGraphs, variables: Variable[], order: number[], optimizer: Optimizer, tensor: MakeTensor): Update {
  const weightFeeds = () => Object.fromEntries(graphs.weights.map((w, i) => [w.name, tensor(variables[i]!.read().dataSync() as Float32Array, w.shape)]));
  // ONNX Runtime writes the gradients into the same buffers every step (their shapes do not
  // depend on the batch): a step allocates no gradient memory, so the collector has less to do.
  const gradients = graphs.weights.map((w) => tensor(new Float32Array(sizeOf(w.shape)), w.shape));
  const fetches: Record<string, OrtTensor | null> = { [graphs.logitsName]: null };
  graphs.gradNames.forEach((name, i) => (fetches[name] = gradients[i]!));
  return {
    weightFeeds,
    stepFeeds: weightFeeds,
    fetches,
    apply() {
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
    },
    sync: () => undefined,
  };
}

/**
 * Adam inside the step graph. The weights and moments live here between syncs (the step's
 * outputs land in a second set of buffers, then the two sets swap); `sync` writes them to the
 * tfjs variables and to tfjs's Adam, whose bias-correction powers are kept in float32 as tfjs
 * keeps them. After a sync the next step reads the weights from tfjs again, so weights set on
 * the model in between (a checkpoint adopted for evaluation) are the ones used.
 */
function adamInGraph(tf: Tf, graphs: TrainingGraphs, adam: AdamGraph, variables: Variable[], order: number[], optimizer: Optimizer, hyper: AdamHyper, tensor: MakeTensor): Update {
  const f = Math.fround;
  const shapes = graphs.weights.map((w) => w.shape);
  const slotVariables = order.map((i) => variables[i]!.read() as TfVariable);
  const initial = readAdamState(optimizer, slotVariables);
  // The optimizer's slot j is the suffix's weight j, which is the graph's weight order[j].
  const inGraphOrder = (perSlot: Float32Array[]) => graphs.weights.map((_, i) => perSlot[order.indexOf(i)]!);
  const fromTfjs = () => variables.map((v) => Float32Array.from(v.read().dataSync() as Float32Array));
  let state: AdamBuffers = { weights: fromTfjs(), moments1: inGraphOrder(initial.moments1), moments2: inGraphOrder(initial.moments2) };
  let next: AdamBuffers = { weights: shapes.map((s) => new Float32Array(sizeOf(s))), moments1: shapes.map((s) => new Float32Array(sizeOf(s))), moments2: shapes.map((s) => new Float32Array(sizeOf(s))) };
  let { beta1Power, beta2Power, iterations } = initial;
  // True while the weights here are newer than the tfjs variables.
  let ahead = false;
  let fetches: Record<string, OrtTensor | null> = {};
  const pointFetches = () => {
    fetches = { [graphs.logitsName]: null };
    graphs.weights.forEach((_, i) => {
      fetches[adam.nextWeights[i]!] = tensor(next.weights[i]!, shapes[i]!);
      fetches[adam.nextMoments1[i]!] = tensor(next.moments1[i]!, shapes[i]!);
      fetches[adam.nextMoments2[i]!] = tensor(next.moments2[i]!, shapes[i]!);
    });
  };
  pointFetches();
  const weightFeeds = () => {
    if (!ahead) state.weights = fromTfjs();
    return Object.fromEntries(graphs.weights.map((w, i) => [w.name, tensor(state.weights[i]!, w.shape)]));
  };
  const scalar = (value: number) => tensor(Float32Array.of(value), []);
  const update: Update = {
    weightFeeds,
    stepFeeds() {
      const feeds = weightFeeds();
      graphs.weights.forEach((_, i) => {
        feeds[adam.moments1[i]!] = tensor(state.moments1[i]!, shapes[i]!);
        feeds[adam.moments2[i]!] = tensor(state.moments2[i]!, shapes[i]!);
      });
      // tfjs: −lr as a float32 scalar, and 1 − β1ᵏ, 1 − β2ᵏ from its float32 powers.
      feeds[adam.negLrName] = scalar(-getLearningRate(optimizer));
      feeds[adam.c1Name] = scalar(f(1 - beta1Power));
      feeds[adam.c2Name] = scalar(f(1 - beta2Power));
      return feeds;
    },
    get fetches() {
      return fetches;
    },
    apply() {
      [state, next] = [next, state];
      pointFetches();
      beta1Power = f(beta1Power * f(hyper.beta1));
      beta2Power = f(beta2Power * f(hyper.beta2));
      iterations += 1;
      ahead = true;
    },
    sync() {
      if (!ahead) return;
      variables.forEach((v, i) => {
        const value = tf.tensor(state.weights[i]!.slice(), shapes[i]!, 'float32');
        v.write(value);
        value.dispose();
      });
      writeAdamState(tf, optimizer, slotVariables, {
        moments1: order.map((i) => state.moments1[i]!),
        moments2: order.map((i) => state.moments2[i]!),
        beta1Power,
        beta2Power,
        iterations,
      });
      ahead = false;
    },
  };
  return update;
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
