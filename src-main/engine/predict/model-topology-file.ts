import path from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import { GraftError } from '../../api/errors';
import { FileRefusal, openRegularFile, readRegularFile } from '../../base/regular-file';
import type { Tf } from '../backend';
import { openH5, readStringAttr, weightsFileRefusal } from '../models/weights/h5-file';
import { loadWeights } from '../models/weights/load-weights';
import { extractZipEntry, readZipDirectory, ZipFormatError } from '../models/weights/zip-entries';
import { kerasTopology } from './keras-topology';
import type { ModelLocation } from './model-location';

/** A model's JSON (model.json, a `.keras` config.json): VGG16's is well under 1 MB. */
const MAX_CONFIG_BYTES = 64 * 1024 * 1024;

function parseJson(text: string, label: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new GraftError('bad-request', `${label} is not valid JSON; the file is corrupt.`);
  }
}

async function readSmallFile(file: string, what: string): Promise<string> {
  try {
    return (await readRegularFile(file, { maxBytes: MAX_CONFIG_BYTES, what })).toString('utf8');
  } catch (error) {
    throw error instanceof FileRefusal ? weightsFileRefusal(error, file, MAX_CONFIG_BYTES) : error;
  }
}

/** A TensorFlow.js layers model's topology (a graph model has none Graft can rebuild). */
async function tfjsTopology(file: string): Promise<unknown> {
  const label = path.basename(file);
  const json = parseJson(await readSmallFile(file, 'The model file'), label) as { format?: string; modelTopology?: { node?: unknown } };
  if (json.format === 'graph-model' || json.modelTopology?.node) {
    throw new GraftError('bad-request', `${label} is a TensorFlow.js graph model; Graft predicts with layers models (what Graft and Keras's converter write).`);
  }
  if (typeof json.modelTopology !== 'object' || json.modelTopology === null) throw new GraftError('bad-request', `${label} has no modelTopology; it is not a TensorFlow.js layers model.`);
  return json.modelTopology;
}

/** `config.json` of a Keras 3 `.keras` archive, read from the zip without inflating anything else. */
async function kerasArchiveConfig(file: string): Promise<unknown> {
  const label = path.basename(file);
  let opened;
  try {
    opened = await openRegularFile(file, { maxBytes: Number.MAX_SAFE_INTEGER, what: 'The model file' });
  } catch (error) {
    throw error instanceof FileRefusal ? weightsFileRefusal(error, file, Number.MAX_SAFE_INTEGER) : error;
  }
  const { handle, size } = opened;
  try {
    const entries = await readZipDirectory(handle, size);
    const config = entries.find((e) => e.name === 'config.json');
    if (!config) throw new GraftError('bad-request', `${label} has no config.json; it is not a Keras 3 model archive.`);
    const parts: Buffer[] = [];
    await extractZipEntry(handle, config, MAX_CONFIG_BYTES, (chunk) => void parts.push(chunk));
    return parseJson(Buffer.concat(parts).toString('utf8'), `The config.json inside ${label}`);
  } catch (error) {
    if (error instanceof ZipFormatError) throw new GraftError('io', `Could not unpack ${label}: ${error.message}. The file may be truncated or corrupt.`);
    throw error;
  } finally {
    await handle.close();
  }
}

/** The `model_config` of a full-model Keras `.h5` file (a weights-only file has none). */
async function kerasH5Config(file: string): Promise<unknown> {
  const label = path.basename(file);
  const h5 = await openH5(file, label);
  try {
    const text = readStringAttr(h5, 'model_config');
    if (!text) {
      throw new GraftError(
        'bad-request',
        `${label} holds weights only (no model_config): it was saved with save_weights. Save the whole model (model.save) or export it from Graft.`,
      );
    }
    return parseJson(text, `The model_config of ${label}`);
  } finally {
    h5.close();
  }
}

/** The topology of a model file in the Keras 2 form TensorFlow.js builds from. */
export async function readModelTopology(location: ModelLocation): Promise<unknown> {
  switch (location.format) {
    case 'tfjs':
      return tfjsTopology(location.file);
    case 'keras':
      return kerasTopology(await kerasArchiveConfig(location.file));
    case 'h5':
      return kerasTopology(await kerasH5Config(location.file));
    case 'onnx':
      throw new GraftError('internal', 'An ONNX file has no Keras topology.');
  }
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The layer list of a topology in any of its forms (tfjs converter's `model_config`, Functional, Keras 2.2 Sequential). */
function topologyLayers(topology: unknown): JsonObject[] {
  const model = isObject(topology) && isObject(topology.model_config) ? topology.model_config : topology;
  const config = isObject(model) ? model.config : null;
  const layers = Array.isArray(config) ? config : isObject(config) ? config.layers : null;
  return Array.isArray(layers) ? layers.filter(isObject) : [];
}

/**
 * The topology with its open image size fixed to `height` × `width`: a Keras model saved with
 * `input_shape=(None, None, 3)` runs at the size its preprocessing names (the ONNX converter
 * and the frozen-forward seam need fixed sizes).
 */
export function withInputSize(topology: unknown, height: number, width: number): unknown {
  const copy = structuredClone(topology);
  for (const layer of topologyLayers(copy)) {
    const config = layer.config;
    if (!isObject(config)) continue;
    for (const key of ['batch_input_shape', 'batch_shape']) {
      const shape = config[key];
      if (Array.isArray(shape) && shape.length === 4) config[key] = [shape[0] ?? null, shape[1] ?? height, shape[2] ?? width, shape[3]];
    }
  }
  return copy;
}

/** Builds a TensorFlow.js model (random weights) from a topology; a layer TensorFlow.js lacks is refused by name. */
export async function buildFromTopology(tf: Tf, topology: unknown, label: string): Promise<LayersModel> {
  try {
    return await tf.models.modelFromJSON({ modelTopology: topology } as Parameters<Tf['models']['modelFromJSON']>[0]);
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown (layer|activation|initializer|regularizer|constraint)[^:]*: ?(\S+)/i.exec(message);
    throw new GraftError(
      'bad-request',
      unknown
        ? `${label} uses the ${unknown[1]!.toLowerCase()} ${unknown[2]!.replace(/\.$/, '')}, which TensorFlow.js (and so Graft) does not have.`
        : `Graft cannot rebuild the model in ${label}: ${message.split('\n')[0]}`,
    );
  }
}

/**
 * Loads a model file's weights into the model built from its own topology, by layer name,
 * through Graft's weights readers (their size limits and file checks); every layer must get its own.
 */
export async function loadOwnWeights(tf: Tf, model: LayersModel, location: ModelLocation): Promise<void> {
  const report = await loadWeights(tf, model, { kind: 'file', path: location.file }, { byName: true });
  if (report.missing.length > 0) {
    const names = report.missing.slice(0, 3).join(', ') + (report.missing.length > 3 ? ` and ${report.missing.length - 3} more` : '');
    throw new GraftError('bad-request', `${path.basename(location.file)} has no weights for layer${report.missing.length > 1 ? 's' : ''} ${names} of its own model; the file is incomplete.`);
  }
}
