// Test support: models as the training engine leaves them (a Keras Applications trunk with a
// grafted head), with seeded weights and BatchNorm statistics, some layers frozen.
import { createHash } from 'node:crypto';
import type { LayersModel } from '@tensorflow/tfjs';
import type { ArchName } from '../../../api/types/models';
import type { HeadSpec } from '../../../api/types/runs';
import type { Tf } from '../../backend';
import { buildModel } from '../../models/build-model';
import { weightedLayers } from '../../models/weights/match-layers';
import { seededValues } from '../../models/weights/test-support/tiny-models';
import { weightRole } from '../../models/weights/weight-roles';
import { buildTrainingModel } from '../../training/training-model';

/** A model to export and how it was made, so a fresh copy can be built to load into. */
export interface ExportCase {
  arch: ArchName;
  size: number;
  head: HeadSpec;
  classes: number;
}

/** Builds the case's architecture and head with fresh (random) weights. */
export function buildCase(tf: Tf, c: ExportCase): LayersModel {
  const base = buildModel(tf, c.arch, { includeTop: false, inputShape: [c.size, c.size, 3] });
  return buildTrainingModel(tf, base, c.head, c.classes, 3);
}

/**
 * Gives every weight seeded values on the scale training leaves them, so that activations stay
 * finite and informative through a deep trunk: kernels ±√(gain/fan-in) (6 is He's,
 * variance-preserving through ReLUs; residual sums want less), BatchNorm scales and variances
 * in [0.5, 1.5), shifts, means and biases within ±0.1.
 */
export function fillTrained(tf: Tf, model: LayersModel, seed: number, gain = 6): void {
  let k = seed;
  for (const layer of weightedLayers(model)) {
    const arrays = layer.weights.map((w) => {
      const shape = w.shape as number[];
      const size = shape.reduce((a, b) => a * b, 1);
      const role = weightRole(w.originalName);
      const positive = role === 'gamma' || role === 'moving_variance';
      const values = seededValues(size, (k += 7919), positive);
      const fanIn = role === 'depthwise_kernel' ? (shape[0] ?? 1) * (shape[1] ?? 1) : size / (shape.at(-1) ?? 1);
      const scale = positive ? 1 : role === 'kernel' || role === 'depthwise_kernel' ? Math.sqrt(gain / fanIn) : 0.1;
      return tf.tensor(values.map((v) => v * scale), shape);
    });
    layer.setWeights(arrays);
    for (const t of arrays) t.dispose();
  }
}

/**
 * The case as a trained model: every weight seeded (see fillTrained), and the first `frozen`
 * layers frozen as a partially fine-tuned run leaves them.
 */
export function trainedCase(tf: Tf, c: ExportCase, seed: number, frozen = 0, gain = 6): LayersModel {
  const model = buildCase(tf, c);
  fillTrained(tf, model, seed, gain);
  model.layers.slice(0, frozen).forEach((layer) => {
    layer.trainable = false;
  });
  return model;
}

/** SHA-256 of a float32 array's little-endian bytes (h5py's listing reports the same). */
export function sha256Of(values: Float32Array): string {
  return createHash('sha256').update(Buffer.from(values.buffer, values.byteOffset, values.byteLength)).digest('hex');
}

/** Largest |a − b| over two outputs of the same shape. */
export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i += 1) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}
