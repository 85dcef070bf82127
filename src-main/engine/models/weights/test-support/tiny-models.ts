// Test support: small tfjs models with Keras-style names and deterministic weights.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import type { Tf } from '../../../backend';
import { weightedLayers } from '../match-layers';
import { weightRole } from '../weight-roles';
import type { ArrayToWrite, Keras2Layer } from './keras-writers';

/** Names of the tiny CNN's layers; override to mimic other naming schemes. */
export interface TinyNames {
  conv1: string;
  bn1: string;
  dw: string;
  bn2: string;
  conv2: string;
  pool: string;
  top: string;
}

/** Keras-application-style names. */
export const KERAS_NAMES: TinyNames = {
  conv1: 'block1_conv1',
  bn1: 'block1_bn',
  dw: 'block1_dw',
  bn2: 'block1_dw_bn',
  conv2: 'block2_conv1',
  pool: 'avg_pool',
  top: 'predictions',
};

/**
 * input 8×8×3 → conv 3×3 (4) → BN → depthwise 3×3 → BN → conv 1×1 (6) → GAP → dense (3).
 * Covers kernel/bias, depthwise_kernel, all four BatchNorm arrays (or three without gamma).
 */
export function tinyCnn(
  tf: Tf,
  options: { names?: Partial<TinyNames>; top?: boolean; bnScale?: boolean; size?: number; conv2Filters?: number } = {},
): LayersModel {
  const n = { ...KERAS_NAMES, ...options.names };
  const size = options.size ?? 8;
  const scale = options.bnScale ?? true;
  const input = tf.input({ shape: [size, size, 3] });
  let x = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: n.conv1 }).apply(input);
  x = tf.layers.batchNormalization({ name: n.bn1, scale }).apply(x);
  x = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false, name: n.dw }).apply(x);
  x = tf.layers.batchNormalization({ name: n.bn2, scale }).apply(x);
  x = tf.layers.conv2d({ filters: options.conv2Filters ?? 6, kernelSize: 1, name: n.conv2 }).apply(x);
  x = tf.layers.globalAveragePooling2d({ name: n.pool }).apply(x);
  if (options.top ?? true) x = tf.layers.dense({ units: 3, name: n.top }).apply(x);
  return tf.model({ inputs: input, outputs: x as ReturnType<typeof tf.input> });
}

/** Deterministic values (variances kept positive) so tests compare exact numbers. */
export function seededValues(size: number, seed: number, positive = false): Float32Array {
  const out = new Float32Array(size);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < size; i += 1) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const u = s / 2 ** 32;
    out[i] = positive ? 0.5 + u : u * 2 - 1;
  }
  return out;
}

/** Gives every weight of the model seeded values; returns them by `layer/role`. */
export function fillSeeded(tf: Tf, model: LayersModel, seed: number): Map<string, Float32Array> {
  const values = new Map<string, Float32Array>();
  let k = seed;
  for (const layer of weightedLayers(model)) {
    const arrays = layer.weights.map((w) => {
      const size = w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
      const v = seededValues(size, (k += 7919), weightRole(w.originalName) === 'moving_variance');
      values.set(`${layer.name}/${weightRole(w.originalName)}`, v);
      return tf.tensor(v, w.shape as number[]);
    });
    layer.setWeights(arrays);
    for (const t of arrays) t.dispose();
  }
  return values;
}

/** The model's weights as `layer/role` → values, to compare after a load. */
export function readModelWeights(model: LayersModel): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const layer of weightedLayers(model)) {
    for (const w of layer.weights) out.set(`${layer.name}/${weightRole(w.originalName)}`, w.read().dataSync() as Float32Array);
  }
  return out;
}

/** Model weights as Keras 2 file layers (`<layer>/<role>:0`), every layer listed as Keras does. */
export function keras2Layers(
  model: LayersModel,
  rename: (layerName: string) => string = (x) => x,
  weightName: (layer: string, role: string) => string = (layer, role) => `${layer}/${role}:0`,
): Keras2Layer[] {
  return model.layers.map((layer) => {
    const name = rename(layer.name);
    const weights: ArrayToWrite[] = layer.weights.map((w) => ({
      name: weightName(name, weightRole(w.originalName) ?? 'unknown'),
      shape: w.shape as number[],
      values: w.read().dataSync() as Float32Array,
    }));
    return { name, weights };
  });
}

/** Keys whose arrays differ between two weight maps (plain loops: deep equality is slow on big arrays). */
export function differingWeights(actual: Map<string, Float32Array>, expected: Map<string, Float32Array>): string[] {
  const keys = new Set([...actual.keys(), ...expected.keys()]);
  return [...keys].filter((key) => {
    const a = actual.get(key);
    const b = expected.get(key);
    return !a || !b || a.length !== b.length || a.some((v, i) => v !== b[i]);
  });
}

/** Saves a model the way tfjs's file handlers do: model.json plus one weights shard. */
export async function saveTfjsFolder(tf: Tf, model: LayersModel, folder: string, shard = 'group1-shard1of1.bin'): Promise<void> {
  mkdirSync(folder, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      writeFileSync(path.join(folder, shard), Buffer.from(artifacts.weightData as ArrayBuffer));
      writeFileSync(
        path.join(folder, 'model.json'),
        JSON.stringify({
          modelTopology: artifacts.modelTopology,
          format: 'layers-model',
          weightsManifest: [{ paths: [shard], weights: artifacts.weightSpecs }],
        }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}
