import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { copyCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoint';
import { initialEarlyStopping } from './early-stopping';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
let runDir = '';
beforeEach(() => {
  runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-checkpoint-'));
});
afterEach(() => fs.rmSync(runDir, { recursive: true, force: true }));

function tiny(): LayersModel {
  const input = tf.input({ shape: [3] });
  return tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2, name: 'd' }).apply(input) as SymbolicTensor });
}

const kernelOf = (model: LayersModel) => Array.from(model.getWeights()[0]!.dataSync());
const STATE = { epoch: 1, stage: 'head' as const, loop: { epoch: 1, step: 3, early: initialEarlyStopping(), best: null } };

describe('copyCheckpoint', () => {
  it('makes "best" the weights just saved as "last", without optimizer state, and a later save of "last" leaves it alone', async () => {
    const model = tiny();
    const optimizer = tf.train.adam(0.1);
    optimizer.minimize(() => tf.sum(model.predict(tf.ones([1, 3])) as tf.Tensor) as tf.Scalar);
    await saveCheckpoint(tf, runDir, 'last', model, optimizer, STATE);
    const saved = kernelOf(model);
    await copyCheckpoint(runDir, 'last', 'best');
    const best = await loadCheckpoint(tf, runDir, 'best', { optimizer: true });
    expect(kernelOf(best.model)).toEqual(saved);
    expect(best.optimizerVariables).toEqual([]);
    expect(best.state).toMatchObject({ epoch: 1, optimizer: [] });

    model.setWeights(model.getWeights().map((w) => tf.add(w, 1)));
    await saveCheckpoint(tf, runDir, 'last', model, optimizer, { ...STATE, epoch: 2 });
    expect(kernelOf((await loadCheckpoint(tf, runDir, 'best')).model)).toEqual(saved);
    const last = await loadCheckpoint(tf, runDir, 'last', { optimizer: true });
    expect(kernelOf(last.model)).toEqual(saved.map((v) => Math.fround(v + 1)));
    expect(last.optimizerVariables.length).toBeGreaterThan(0);
    // Nothing left aside.
    expect(fs.readdirSync(path.join(runDir, 'checkpoints')).sort()).toEqual(['best', 'last']);
  });
});
