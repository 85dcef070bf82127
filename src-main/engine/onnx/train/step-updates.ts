import type { Tensor as OrtTensor } from 'onnxruntime-node';
import type { LayersModel, NamedTensorMap, Optimizer, Variable as TfVariable } from '@tensorflow/tfjs';
import type { Tf } from '../../backend';
import { getLearningRate } from '../../training/optimizers';
import type { AdamGraph, AdamHyper } from './adam-update';
import { readAdamState, writeAdamState } from './tfjs-adam-state';
import type { TrainingGraphs } from './training-graph';

type Variable = LayersModel['trainableWeights'][number];

/** How a step's results become new weights: the feeds it needs, where its outputs go, and what follows. */
export interface Update {
  /** The current weights, for the evaluation graph. */
  weightFeeds(): Record<string, OrtTensor>;
  /** The step graph's feeds besides the batch: weights, and the optimizer's inputs. */
  stepFeeds(): Record<string, OrtTensor>;
  /** Outputs to fetch: the logits (allocated by ONNX Runtime) and the rest into buffers reused every step. */
  fetches: Record<string, OrtTensor | null>;
  /** Takes the step's outputs as the new state (called when the loss was finite). */
  apply(): void;
  /** Writes what is kept here back to the tfjs variables and optimizer. */
  sync(): void;
}

/** Wraps float32 data as an ONNX Runtime tensor. */
export type MakeTensor = (data: Float32Array, dims: number[]) => OrtTensor;

/** Weights and Adam's moments, per weight in the graph's order. */
interface AdamBuffers {
  weights: Float32Array[];
  moments1: Float32Array[];
  moments2: Float32Array[];
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Weights read from the tfjs variables every step; the gradients go to the tfjs optimizer. */
export function tfjsUpdate(tf: Tf, graphs: TrainingGraphs, variables: Variable[], order: number[], optimizer: Optimizer, tensor: MakeTensor): Update {
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
export function adamInGraph(tf: Tf, graphs: TrainingGraphs, adam: AdamGraph, variables: Variable[], order: number[], optimizer: Optimizer, hyper: AdamHyper, tensor: MakeTensor): Update {
  const f = Math.fround;
  const shapes = graphs.weights.map((w) => w.shape);
  const slotVariables = order.map((i) => variables[i]!.read() as TfVariable);
  const initial = readAdamState(optimizer, slotVariables);
  // The optimizer's slot j is the suffix's weight j, which is the graph's weight order[j].
  const inGraphOrder = (perSlot: Float32Array[]) => graphs.weights.map((_, i) => perSlot[order.indexOf(i)]!);
  // Copies: on the cpu backend dataSync returns the variable's own array, and ONNX Runtime later
  // writes a step's outputs into these buffers.
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
