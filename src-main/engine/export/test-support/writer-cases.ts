// Test support: what both Keras writers must do alike — round-trip the layer zoo, refuse a
// model they cannot carry without leaving anything behind, replace a file atomically.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LayersModel, SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { GraftError } from '../../../api/errors';
import type { Tf } from '../../backend';
import { loadWeights } from '../../models/weights/load-weights';
import { differingWeights, readModelWeights, seededValues } from '../../models/weights/test-support/tiny-models';
import type { KerasFileMeta, KerasWriteResult } from '../keras-file-meta';
import { fillTrained, maxAbsDiff } from './export-models';
import { layerZoo } from './layer-zoo';

/** A Keras writer as both export functions are shaped. */
export type KerasWriter = (tf: Tf, model: LayersModel, file: string, meta?: KerasFileMeta) => Promise<KerasWriteResult>;

/** A fresh temporary folder and its disposal. */
export function tempFolder(prefix: string): { dir: string; dispose(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes the zoo (every writable class, seeded) and loads it into a fresh zoo: weights and outputs must agree. */
export async function zooRoundTrip(tf: Tf, write: KerasWriter, file: string): Promise<{ result: KerasWriteResult; delta: number }> {
  const source = layerZoo(tf);
  const target = layerZoo(tf);
  const input = tf.tensor(seededValues(4 * 9 * 9 * 3, 9), [4, 9, 9, 3]);
  try {
    fillTrained(tf, source, 21);
    source.getLayer('conv').trainable = false;
    const result = await write(tf, source, file);
    await loadWeights(tf, target, { kind: 'file', path: file });
    expect(differingWeights(readModelWeights(target), readModelWeights(source))).toEqual([]);
    const out = (m: LayersModel): Float32Array => tf.tidy(() => (m.predict(input) as Tensor).dataSync() as Float32Array);
    return { result, delta: maxAbsDiff(out(target), out(source)) };
  } finally {
    source.dispose();
    target.dispose();
    input.dispose();
  }
}

/** A model with a layer no Keras file here can carry: the writer must refuse it and write nothing. */
export async function expectRefusal(tf: Tf, write: KerasWriter, dir: string, file: string): Promise<void> {
  const input = tf.input({ shape: [5, 4], name: 'input_layer' });
  const memory = tf.layers.lstm({ units: 3, name: 'memory' }).apply(input) as SymbolicTensor;
  const out = tf.layers.dense({ units: 2, name: 'predictions' }).apply(memory) as SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  try {
    let caught: unknown;
    try {
      await write(tf, model, file);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GraftError);
    expect((caught as GraftError).message).toContain('Layer "memory" (LSTM)');
    expect(readdirSync(dir)).toEqual([]);
  } finally {
    model.dispose();
  }
}

/** An existing file is replaced whole, and no temporary file is left beside it. */
export async function expectAtomicReplace(tf: Tf, write: KerasWriter, dir: string, file: string): Promise<void> {
  writeFileSync(file, 'an older export');
  const model = layerZoo(tf);
  try {
    await write(tf, model, file);
    expect(readFileSync(file).subarray(0, 15).toString('latin1')).not.toBe('an older export');
    expect(readdirSync(dir)).toEqual([path.basename(file)]);
    // A target that cannot be replaced (a non-empty folder) fails and leaves everything as it was.
    const folder = path.join(dir, 'folder-target');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'inside.txt'), 'x');
    await expect(write(tf, model, folder)).rejects.toThrow();
    expect(readdirSync(dir).sort()).toEqual([path.basename(file), 'folder-target'].sort());
    expect(readdirSync(folder)).toEqual(['inside.txt']);
  } finally {
    model.dispose();
  }
}
