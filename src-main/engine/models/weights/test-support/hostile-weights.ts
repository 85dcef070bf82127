/**
 * Weight-file loads as functions a bounded child process can run (see
 * base/test-support/bounded-child.ts): a hostile file must be refused without hanging the
 * engine or flooding its memory.
 */
import * as tf from '@tensorflow/tfjs';
import { assignWeights } from '../assign-weights';
import { readKerasH5 } from '../keras-h5';
import { readWeightsFile } from '../load-weights';
import { tinyCnn } from './tiny-models';

/** Loads `file` into the tiny test CNN (its weights budget applies); returns the layers loaded. */
export async function loadIntoTinyCnn(file: string): Promise<string[]> {
  await tf.setBackend('cpu');
  const model = tinyCnn(tf);
  const stored = await readWeightsFile(file, model);
  try {
    return assignWeights(tf, model, stored).loaded;
  } finally {
    stored.dispose();
  }
}

/** Reads every weight of a Keras .h5 file; returns each weight's values by name. */
export async function readAllH5Weights(file: string): Promise<Record<string, number[]>> {
  const stored = await readKerasH5(file);
  try {
    const out: Record<string, number[]> = {};
    for (const layer of stored.layers) for (const weight of layer.weights) out[weight.name] = [...weight.read()];
    return out;
  } finally {
    stored.dispose();
  }
}
