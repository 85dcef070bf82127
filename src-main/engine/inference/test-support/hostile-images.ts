/**
 * The engine's image readers as functions a bounded child process can run (see
 * base/test-support/bounded-child.ts): paths that are not photos (a FIFO, /dev/zero, a folder,
 * a huge file) must be skipped with a reason while the other images are read, without hanging
 * the engine or flooding its memory. Each returns plain data: per path, its reason or null.
 */
import { preprocessingSpec } from '../../export/preprocessing-spec';
import { preprocessedBatches } from '../../predict/preprocessed-batches';
import { ActivationStore } from '../../training/activation-store';
import { fillActivationStore } from '../../training/prefix-activations';
import type { FrozenForward } from '../frozen-forward';
import { scaledBatches } from '../image-batches';

/** What a reader made of each path, in request order: null when it was read, else the reason. */
export type PathOutcomes = Record<string, string | null>;

const SIDE = 16;

/** classify and embed: the decode-ahead batches of image-batches. */
export async function scaledBatchOutcomes(paths: string[]): Promise<PathOutcomes> {
  const out: PathOutcomes = {};
  for await (const batch of scaledBatches(paths, 3, SIDE, { kind: 'unit' })) {
    for (const item of batch.items) out[item.path] = 'reason' in item ? item.reason : null;
  }
  return out;
}

const spec = preprocessingSpec({ kind: 'unit' }, SIDE);

/** predict.files: the preprocessed batches of an exported model. */
export async function predictBatchOutcomes(paths: string[]): Promise<PathOutcomes> {
  const out: PathOutcomes = {};
  for await (const batch of preprocessedBatches(paths, 3, spec)) {
    for (const entry of batch.entries) out[entry.path] = 'reason' in entry ? entry.reason : null;
  }
  return out;
}

/** A forward that sums each image: enough to fill the activation cache without a model. */
function summingForward(): FrozenForward {
  const perImage = SIDE * SIDE * 3;
  return {
    runtime: 'tfjs',
    description: 'sum',
    inputShape: [SIDE, SIDE, 3],
    outputLayers: ['sum'],
    outputShapes: [[1]],
    run: async (batch, n) => [Float32Array.from({ length: n }, (_, i) => batch.subarray(i * perImage, (i + 1) * perImage).reduce((a, b) => a + b, 0))],
    dispose: () => undefined,
  };
}

/** Training: the activation cache filled from project photos; an outcome is null when the image was cached. */
export async function activationCacheOutcomes(paths: string[], cacheRoot: string): Promise<PathOutcomes> {
  const store = new ActivationStore(cacheRoot, 'hostile', 1);
  const items = paths.map((file, i) => ({ path: file, contentHash: `${i}`.padStart(64, '0'), variant: 0 }));
  const recipe = { size: SIDE, scaling: { kind: 'unit' as const }, augment: null, seed: 1 };
  const unreadable = await fillActivationStore(summingForward(), store, items, recipe, 3, { checkpoint: async () => undefined });
  const out: PathOutcomes = {};
  for (const item of items) {
    const reason = unreadable.find((u) => u.path === item.path)?.reason;
    out[item.path] = reason ?? (store.has(item.contentHash, 0) ? null : 'neither cached nor listed as unreadable');
  }
  return out;
}
