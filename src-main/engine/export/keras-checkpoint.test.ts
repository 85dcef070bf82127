import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWeights } from '../models/weights/load-weights';
import { seededValues } from '../models/weights/test-support/tiny-models';
import { loadCheckpoint, saveCheckpoint } from '../training/checkpoint';
import { keras2ModelConfig, writeKerasH5 } from './keras2-h5';
import { keras3ModelConfig } from './keras3-config';
import { writeKerasArchive } from './keras3-archive';
import { buildCase, maxAbsDiff, trainedCase, type ExportCase } from './test-support/export-models';
import { layerZoo } from './test-support/layer-zoo';
import { tempFolder } from './test-support/writer-cases';

// Export starts from a run's checkpoint on disk (tfjs layers format), not from the model the
// training process held: a model rebuilt from its own topology must write the same files.

let folder: ReturnType<typeof tempFolder>;
beforeAll(async () => {
  await tf.setBackend('cpu');
  folder = tempFolder('graft-keras-checkpoint-');
});
afterAll(() => folder.dispose());

const CASE: ExportCase = { arch: 'mobilenet_v2', size: 32, classes: 3, head: { pooling: 'avg', dropout: 0.3, layers: [{ units: 12, activation: 'swish', dropout: 0.2 }], output: 'softmax' } };

async function reloaded(model: tf.LayersModel, name: string): Promise<tf.LayersModel> {
  const runDir = path.join(folder.dir, name);
  await saveCheckpoint(tf, runDir, 'best', model, null, { epoch: 3, stage: 'fine-tune', loop: {} });
  return (await loadCheckpoint(tf, runDir, 'best')).model;
}

describe('exporting a model loaded from a checkpoint', () => {
  it('writes the same configs as the model that was saved', async () => {
    for (const make of [() => layerZoo(tf), () => trainedCase(tf, CASE, 4, 50)]) {
      const model = make();
      const loaded = await reloaded(model, model.name);
      try {
        expect(JSON.stringify(keras3ModelConfig(loaded))).toBe(JSON.stringify(keras3ModelConfig(model)));
        expect(JSON.stringify(keras2ModelConfig(loaded))).toBe(JSON.stringify(keras2ModelConfig(model)));
      } finally {
        loaded.dispose();
        model.dispose();
      }
    }
  });

  it('round-trips: checkpoint → .keras / .h5 → a freshly built model computes what the trained one did', async () => {
    const model = trainedCase(tf, CASE, 6, 50);
    const loaded = await reloaded(model, 'round-trip');
    const input = tf.tensor(seededValues(3 * 32 * 32 * 3, 2), [3, 32, 32, 3]);
    const out = (m: tf.LayersModel): Float32Array => tf.tidy(() => (m.predict(input) as tf.Tensor).dataSync() as Float32Array);
    try {
      for (const [write, file] of [[writeKerasArchive, 'model.keras'], [writeKerasH5, 'model.h5']] as const) {
        const target = path.join(folder.dir, file);
        await write(tf, loaded, target);
        const fresh = buildCase(tf, CASE);
        try {
          await loadWeights(tf, fresh, { kind: 'file', path: target });
          expect(maxAbsDiff(out(fresh), out(model))).toBeLessThanOrEqual(1e-6);
        } finally {
          fresh.dispose();
        }
      }
    } finally {
      input.dispose();
      loaded.dispose();
      model.dispose();
    }
  });
});
