import fs from 'node:fs';
import path from 'node:path';
import type { io, LayersModel, Optimizer, Tensor } from '@tensorflow/tfjs';
import { GraftError } from '../../api/errors';
import { errnoCode } from '../../base/fs-errors';
import type { Tf } from '../backend';

/** Which checkpoint: the best epoch so far, or the last one written. */
export type CheckpointName = 'best' | 'last';

/** Where a run's checkpoints live, relative to its folder. */
export function checkpointFolder(which: CheckpointName): string {
  return path.join('checkpoints', which);
}

/** An optimizer variable by name, as tfjs optimizers get and set them. */
export interface NamedTensor {
  name: string;
  tensor: Tensor;
}

/** What a checkpoint holds besides the weights: enough to resume the run exactly where it was. */
export interface CheckpointState {
  /** Epochs finished (global, across stages). */
  epoch: number;
  stage: 'head' | 'fine-tune';
  /** JSON-safe state of the run loop (early stopping, best so far, history). */
  loop: unknown;
  /** Names and shapes of the optimizer's variables stored in `optimizer.bin`. */
  optimizer: { name: string; shape: number[] }[];
}

/** A checkpoint's contents read out of the model and the optimizer, ready to be written. */
export interface CheckpointSnapshot {
  weights: Buffer;
  modelJson: string;
  optimizer: Buffer;
  state: string;
}

/**
 * Saves the model (topology and weights as a tfjs layers model), the optimizer's slot
 * variables and the loop state into `<runDir>/checkpoints/<which>`. The folder is written
 * aside and swapped in, so a checkpoint is always whole: a kill mid-write leaves the previous one.
 */
export async function saveCheckpoint(
  tf: Tf,
  runDir: string,
  which: CheckpointName,
  model: LayersModel,
  optimizer: Optimizer | null,
  state: Omit<CheckpointState, 'optimizer'>,
): Promise<string> {
  return writeCheckpoint(runDir, which, await snapshotCheckpoint(tf, model, optimizer, state));
}

/**
 * Reads what a checkpoint holds out of the model and the optimizer (the part that must happen
 * between two training steps); `writeCheckpoint` then writes it while training goes on.
 */
export async function snapshotCheckpoint(tf: Tf, model: LayersModel, optimizer: Optimizer | null, state: Omit<CheckpointState, 'optimizer'>): Promise<CheckpointSnapshot> {
  let artifacts: io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const saved = artifacts as io.ModelArtifacts | null;
  if (!saved?.weightData || !saved.weightSpecs) throw new GraftError('internal', 'The model gave no weights to save.');
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'Graft',
    convertedBy: null,
    modelTopology: saved.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: saved.weightSpecs }],
  };
  const variables: NamedTensor[] = optimizer ? await optimizer.getWeights() : [];
  const values = await Promise.all(
    variables.map(async (v) => {
      // All stored as float32: the step count comes as an int32 scalar, and its bits must not be read as a float.
      const data = Float32Array.from(await v.tensor.data());
      return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    }),
  );
  // getWeights() hands out the live slot variables, plus a fresh scalar for the step count.
  for (const v of variables) if (v.name === 'iter') v.tensor.dispose();
  const full: CheckpointState = { ...state, optimizer: variables.map((v) => ({ name: v.name, shape: v.tensor.shape })) };
  return { weights: Buffer.from(saved.weightData as ArrayBuffer), modelJson: JSON.stringify(modelJson), optimizer: Buffer.concat(values), state: JSON.stringify(full) };
}

/** Writes a snapshot as checkpoint `which`: aside, each file flushed, then swapped in whole. */
export async function writeCheckpoint(runDir: string, which: CheckpointName, snapshot: CheckpointSnapshot): Promise<string> {
  const target = path.join(runDir, checkpointFolder(which));
  const aside = `${target}.${process.pid}.writing`;
  await fs.promises.rm(aside, { recursive: true, force: true });
  await fs.promises.mkdir(aside, { recursive: true });
  // The folder is swapped in whole, so its files need no atomic writes of their own; only flushing.
  await Promise.all([
    writeDurably(path.join(aside, 'weights.bin'), snapshot.weights),
    writeDurably(path.join(aside, 'model.json'), snapshot.modelJson),
    writeDurably(path.join(aside, 'optimizer.bin'), snapshot.optimizer),
    writeDurably(path.join(aside, 'state.json'), snapshot.state),
  ]);
  await swapIn(aside, target);
  return checkpointFolder(which);
}

/**
 * Makes checkpoint `to` the same weights as `from` (the best epoch is the one just saved as
 * last) without serialising the model again: its files are hard links to `from`'s (copies where
 * the file system has none), which stay valid because a save never changes a file in place.
 * `to` carries no optimizer state, as a save without an optimizer.
 */
export async function copyCheckpoint(runDir: string, from: CheckpointName, to: CheckpointName): Promise<string> {
  const source = path.join(runDir, checkpointFolder(from));
  const target = path.join(runDir, checkpointFolder(to));
  const aside = `${target}.${process.pid}.writing`;
  await fs.promises.rm(aside, { recursive: true, force: true });
  await fs.promises.mkdir(aside, { recursive: true });
  for (const name of ['weights.bin', 'model.json']) {
    try {
      await fs.promises.link(path.join(source, name), path.join(aside, name));
    } catch {
      await fs.promises.copyFile(path.join(source, name), path.join(aside, name));
    }
  }
  const state = JSON.parse(await fs.promises.readFile(path.join(source, 'state.json'), 'utf8')) as CheckpointState;
  await Promise.all([
    writeDurably(path.join(aside, 'optimizer.bin'), Buffer.alloc(0)),
    writeDurably(path.join(aside, 'state.json'), JSON.stringify({ ...state, optimizer: [] })),
  ]);
  await swapIn(aside, target);
  return checkpointFolder(to);
}

/** Writes a file and flushes it to disk (inside a folder that is swapped in afterwards). */
async function writeDurably(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await fs.promises.open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces `target` with `aside` (its files flushed, the folder flushed here) so that one of them is whole at every moment. */
async function swapIn(aside: string, target: string): Promise<void> {
  if (process.platform !== 'win32') {
    const folder = await fs.promises.open(aside, 'r');
    await folder.sync().catch(() => undefined);
    await folder.close();
  }
  const old = `${target}.${process.pid}.old`;
  await fs.promises.rm(old, { recursive: true, force: true });
  try {
    await fs.promises.rename(target, old);
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') throw error;
  }
  await fs.promises.rename(aside, target);
  await fs.promises.rm(old, { recursive: true, force: true });
}

/** A checkpoint read back: the model (built from its own topology) and its state. */
export interface LoadedCheckpoint {
  model: LayersModel;
  state: CheckpointState;
  /** The optimizer's variables, to restore into a fresh optimizer of the same kind. */
  optimizerVariables: NamedTensor[];
}

/** Loads `<runDir>/checkpoints/<which>` (the optimizer's variables only when asked); a clear error when it is missing or damaged. */
export async function loadCheckpoint(tf: Tf, runDir: string, which: CheckpointName, options: { optimizer?: boolean } = {}): Promise<LoadedCheckpoint> {
  const dir = path.join(runDir, checkpointFolder(which));
  let modelJson: { modelTopology: object; weightsManifest: { weights: io.WeightsManifestEntry[] }[] };
  let state: CheckpointState;
  let weights: Buffer;
  let optimizerBytes: Buffer;
  try {
    modelJson = JSON.parse(await fs.promises.readFile(path.join(dir, 'model.json'), 'utf8')) as typeof modelJson;
    state = JSON.parse(await fs.promises.readFile(path.join(dir, 'state.json'), 'utf8')) as CheckpointState;
    weights = await fs.promises.readFile(path.join(dir, 'weights.bin'));
    optimizerBytes = await fs.promises.readFile(path.join(dir, 'optimizer.bin'));
  } catch (error) {
    const reason = errnoCode(error) === 'ENOENT' ? 'it is missing' : `it cannot be read (${(error as Error).message})`;
    throw new GraftError('not-found', `The ${which} checkpoint in ${dir} cannot be used: ${reason}. Train the run again.`);
  }
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest.flatMap((m) => m.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
    }),
  );
  if (!options.optimizer) return { model, state, optimizerVariables: [] };
  const floats = new Float32Array(optimizerBytes.buffer.slice(optimizerBytes.byteOffset, optimizerBytes.byteOffset + optimizerBytes.byteLength));
  let offset = 0;
  const optimizerVariables = state.optimizer.map(({ name, shape }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const tensor = tf.tensor(floats.subarray(offset, offset + size), shape);
    offset += size;
    return { name, tensor };
  });
  return { model, state, optimizerVariables };
}
