import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileRefusalError, GraftError } from '../../api/errors';
import type { PredictModelFormat } from '../../api/types/predict';
import { FileRefusal, readRegularFile } from '../../base/regular-file';

/** A model file found from what the user named: the file, its format and its folder. */
export interface ModelLocation {
  format: Exclude<PredictModelFormat, 'checkpoint'>;
  file: string;
  dir: string;
}

/** Largest model.json whose shard list is read, as the model readers allow (VGG16's is under 100 kB). */
const MAX_MODEL_JSON_BYTES = 64 * 1024 * 1024;

/** The file names an export folder holds its model as, in the order a folder is searched. */
const FOLDER_FILES: readonly [string, ModelLocation['format']][] = [
  ['model.json', 'tfjs'],
  ['model.onnx', 'onnx'],
  ['model.keras', 'keras'],
  ['model.h5', 'h5'],
];

/** The format of a model file by its extension, or null. */
function formatOf(file: string): ModelLocation['format'] | null {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json') return 'tfjs';
  if (ext === '.onnx') return 'onnx';
  if (ext === '.keras') return 'keras';
  if (ext === '.h5' || ext === '.hdf5') return 'h5';
  return null;
}

/**
 * Finds the model a path names: a model file (`model.json`, `.onnx`, `.keras`, `.h5`), or a
 * folder holding exactly one of Graft's export file names (an export folder). Anything else
 * is refused with what Graft reads.
 */
export async function locateModel(input: string): Promise<ModelLocation> {
  const target = path.resolve(input);
  const info = await stat(target).catch(() => null);
  if (!info) throw new GraftError('not-found', `There is no model at ${target}.`);
  if (info.isDirectory()) {
    const found: ModelLocation[] = [];
    for (const [name, format] of FOLDER_FILES) {
      const file = path.join(target, name);
      if ((await stat(file).catch(() => null))?.isFile()) found.push({ format, file, dir: target });
    }
    if (found.length === 1) return found[0]!;
    if (found.length > 1) {
      throw new GraftError('bad-request', `${target} holds ${found.map((f) => path.basename(f.file)).join(' and ')}; name the model file to use.`);
    }
    throw new GraftError('bad-request', `${target} holds no model: Graft looks for ${FOLDER_FILES.map(([n]) => n).join(', ')}.`);
  }
  const format = formatOf(target);
  if (!format) {
    throw new GraftError('bad-request', `${path.basename(target)} is not a model file Graft reads: give a TensorFlow.js model.json, an .onnx, a .keras or an .h5 file, or an export folder.`);
  }
  return { format, file: target, dir: path.dirname(target) };
}

/** The model's own files: the model file, and for TensorFlow.js the weight shards its manifest lists (inside its folder). */
export async function modelOwnFiles(location: ModelLocation): Promise<string[]> {
  if (location.format !== 'tfjs') return [location.file];
  let text: string;
  try {
    text = (await readRegularFile(location.file, { maxBytes: MAX_MODEL_JSON_BYTES, what: 'The model file' })).toString('utf8');
  } catch (error) {
    // It was read (and checked) when the model was loaded, so it changed since.
    if (error instanceof FileRefusal) {
      throw new GraftError(fileRefusalError(error).code, `${error.message} It changed after Graft loaded it: put the model's own model.json back and try again.`);
    }
    throw error;
  }
  let manifest: { weightsManifest?: { paths?: unknown[] }[] };
  try {
    manifest = JSON.parse(text) as typeof manifest;
  } catch {
    return [location.file];
  }
  const shards = (manifest.weightsManifest ?? []).flatMap((group) => group.paths ?? []).filter((p): p is string => typeof p === 'string');
  const inside = shards.map((name) => path.resolve(location.dir, name)).filter((file) => file.startsWith(location.dir + path.sep));
  return [location.file, ...new Set(inside)];
}
