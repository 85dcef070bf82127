import * as ort from 'onnxruntime-node';
import type { LayersModel, SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import { convertToOnnx, type ConvertedGraph } from '../convert/convert-model';
import { onnx } from '../convert/onnx-proto';

/** A small deterministic generator (mulberry32), so a failing case can be rerun exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` floats uniform in [lo, hi). */
export function randomFloats(count: number, seed: number, lo = -1, hi = 1): Float32Array {
  const next = seededRandom(seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = lo + (hi - lo) * next();
  return out;
}

/**
 * Gives every BatchNormalization realistic non-trivial statistics (Keras initialises them to
 * mean 0, variance 1, which would make folding bugs invisible).
 */
export function randomizeBatchNorms(model: LayersModel, seed = 7): void {
  const next = seededRandom(seed);
  const ranges: Record<string, [number, number]> = { gamma: [0.5, 1.5], beta: [-0.2, 0.2], moving_mean: [-0.2, 0.2], moving_variance: [0.5, 1.5] };
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const values = layer.weights.map((w) => {
      const role = Object.keys(ranges).find((r) => w.originalName.endsWith(r));
      const [lo, hi] = ranges[role ?? 'beta']!;
      const n = w.shape[0] ?? 0;
      return tf.tensor1d(Array.from({ length: n }, () => lo + (hi - lo) * next()));
    });
    layer.setWeights(values);
    tf.dispose(values);
  }
}

/** tfjs outputs of `model` (or of the named layers) for one NHWC batch. */
export function tfjsOutputs(model: LayersModel, input: Float32Array, shape: number[], outputs?: string[]): Float32Array[] {
  const runner = outputs
    ? tf.model({ inputs: model.inputs, outputs: outputs.map((name) => model.getLayer(name).output as SymbolicTensor) })
    : model;
  return tf.tidy(() => {
    const predicted = runner.predict(tf.tensor(input, shape));
    return (Array.isArray(predicted) ? predicted : [predicted as Tensor]).map((t) => t.dataSync() as Float32Array);
  });
}

/** ONNX Runtime outputs of a converted graph for one NHWC batch (1 thread, full optimisation). */
export async function onnxOutputs(graph: ConvertedGraph, input: Float32Array, shape: number[], optimizedModelFilePath?: string): Promise<Float32Array[]> {
  const options: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, graphOptimizationLevel: 'all' };
  if (optimizedModelFilePath) options.optimizedModelFilePath = optimizedModelFilePath;
  const session = await ort.InferenceSession.create(graph.bytes, options);
  try {
    const out = await session.run({ [graph.inputName]: new ort.Tensor('float32', input, shape) });
    return graph.outputNames.map((name) => out[name]!.data as Float32Array);
  } finally {
    await session.release();
  }
}

/** Largest absolute difference between two equally long arrays (Infinity when lengths differ). */
export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** Largest absolute value, to say how big the compared numbers were. */
export function maxAbs(a: Float32Array): number {
  let max = 0;
  for (const v of a) max = Math.max(max, Math.abs(v));
  return max;
}

/** Result of comparing both runtimes on the same input. */
export interface Parity {
  graph: ConvertedGraph;
  onnx: Float32Array[];
  tfjs: Float32Array[];
  /** Per output. */
  maxDiff: number[];
  /** Per output: the largest |value| tfjs gave. */
  scale: number[];
}

/** Converts `model` (prefix up to `outputs`), runs both runtimes on `input` and compares. */
export async function compareRuntimes(model: LayersModel, input: Float32Array, batch: number, outputs?: string[]): Promise<Parity> {
  const shape = [batch, ...(model.inputs[0]!.shape.slice(1) as number[])];
  const graph = convertToOnnx(model, { outputs });
  const onnxOut = await onnxOutputs(graph, input, shape);
  const tfjsOut = tfjsOutputs(model, input, shape, outputs);
  return {
    graph,
    onnx: onnxOut,
    tfjs: tfjsOut,
    maxDiff: tfjsOut.map((t, i) => maxAbsDiff(t, onnxOut[i]!)),
    scale: tfjsOut.map(maxAbs),
  };
}

/** Op types of a serialised ONNX model's nodes, in order. */
export function graphOps(bytes: Uint8Array): string[] {
  return (onnx.ModelProto.decode(bytes).graph?.node ?? []).map((n) => n.opType ?? '');
}

/** A one-input functional model from `build` applied to an input of `shape` (no batch), random weights. */
export function smallModel(shape: number[], build: (x: SymbolicTensor) => SymbolicTensor | SymbolicTensor[], name = 'small'): LayersModel {
  const input = tf.input({ shape, name: `${name}_input` });
  return tf.model({ inputs: input, outputs: build(input), name });
}

/** Compares both runtimes on a random batch of 2 for a small model; disposes the model. */
export async function checkSmall(model: LayersModel, outputs?: string[], seed = 1): Promise<Parity> {
  const perImage = (model.inputs[0]!.shape.slice(1) as number[]).reduce((a, b) => a * b, 1);
  try {
    return await compareRuntimes(model, randomFloats(2 * perImage, seed), 2, outputs);
  } finally {
    model.dispose();
  }
}
