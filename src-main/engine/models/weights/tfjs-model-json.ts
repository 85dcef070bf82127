import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { GraftError } from '../../../api/errors';
import { FileRefusal, formatMegabytes, openRegularFile, readRegularFile } from '../../../base/regular-file';
import { weightsFileRefusal } from './h5-file';
import type { StoredWeights } from './stored-weights';
import { manifestByteLength, storedFromTfjs, topologyLayerNames, type TfjsManifestGroup } from './tfjs-weights';
import { DEFAULT_WEIGHTS_BUDGET } from './weights-budget';

interface ModelJson {
  format?: string;
  modelTopology?: unknown;
  weightsManifest?: TfjsManifestGroup[];
}

/** A model.json is topology and a manifest: VGG16's is under 100 kB. */
const MAX_MODEL_JSON_BYTES = 64 * 1024 * 1024;

async function readModelJson(file: string): Promise<{ jsonPath: string; text: string }> {
  const absolute = path.resolve(file);
  // stat never blocks, even on a FIFO; a folder stands for the model.json inside it.
  const isFolder = (await stat(absolute).catch(() => null))?.isDirectory() === true;
  const jsonPath = isFolder ? path.join(absolute, 'model.json') : absolute;
  try {
    return { jsonPath, text: (await readRegularFile(jsonPath, { maxBytes: MAX_MODEL_JSON_BYTES, what: 'The model file' })).toString('utf8') };
  } catch (error) {
    if (error instanceof FileRefusal) throw weightsFileRefusal(error, jsonPath, MAX_MODEL_JSON_BYTES);
    throw error;
  }
}

interface Shard {
  name: string;
  file: string;
  size: number;
}

/**
 * Finds every shard the manifest lists and checks it before a byte is read: inside the model's
 * folder once symlinks are resolved (no `../`), a regular file (no FIFO or device), and all of
 * them together exactly as large as the manifest's weights.
 */
async function checkShards(dir: string, groups: TfjsManifestGroup[], expected: number, label: string): Promise<Shard[]> {
  const folder = await realpath(dir);
  const shards: Shard[] = [];
  for (const group of groups) {
    for (const name of group.paths ?? []) {
      if (typeof name !== 'string' || /^[a-z][a-z0-9+.-]*:/i.test(name) || path.isAbsolute(name)) {
        throw new GraftError('bad-request', `${label} points at weights outside its folder (${String(name)}); only shards beside it load.`);
      }
      let file: string;
      try {
        file = await realpath(path.resolve(dir, name));
      } catch {
        throw new GraftError('io', `${label} needs the weights shard ${name}, which is missing next to it.`);
      }
      if (!file.startsWith(folder + path.sep)) {
        throw new GraftError('bad-request', `${label} points at weights outside its folder (${name}); only shards beside it load.`);
      }
      let size: number;
      try {
        const opened = await openRegularFile(file, { maxBytes: expected, what: `The weights shard of ${label}` });
        size = opened.size;
        await opened.handle.close();
      } catch (error) {
        if (error instanceof FileRefusal && error.reason === 'too-large') size = expected + 1;
        else if (error instanceof FileRefusal) throw weightsFileRefusal(error, file, expected);
        else throw error;
      }
      shards.push({ name, file, size });
    }
  }
  const total = shards.reduce((sum, s) => sum + s.size, 0);
  if (total < expected) {
    throw new GraftError(
      'io',
      `The weights shards of ${label} hold ${total} bytes, but its manifest needs ${expected}. A shard file is missing or truncated.`,
    );
  }
  if (total > expected) {
    throw new GraftError('bad-request', `The weights shards of ${label} hold ${total} bytes, more than the ${expected} its manifest lists; they do not belong to it.`);
  }
  return shards;
}

/**
 * Reads the weights of a TensorFlow.js layers model from disk: `model.json` (or its folder) and
 * the shard files its `weightsManifest` lists, quantized or not. No network is ever touched,
 * no shard outside the model's folder is read, and at most `maxBytes` of weights are held.
 */
export async function readTfjsModelJson(file: string, maxBytes = DEFAULT_WEIGHTS_BUDGET): Promise<StoredWeights> {
  const { jsonPath, text } = await readModelJson(file);
  const label = path.basename(path.dirname(jsonPath)) + '/' + path.basename(jsonPath);
  let json: ModelJson;
  try {
    json = JSON.parse(text) as ModelJson;
  } catch {
    throw new GraftError('bad-request', `${label} is not valid JSON.`);
  }
  const topology = json.modelTopology as { node?: unknown } | undefined;
  if (json.format === 'graph-model' || topology?.node) {
    throw new GraftError(
      'bad-request',
      `${label} is a TensorFlow.js graph model; only layers models carry the layer names weights load by.`,
    );
  }
  if (!Array.isArray(json.weightsManifest)) {
    throw new GraftError('bad-request', `${label} has no weightsManifest; it is not a TensorFlow.js model.`);
  }
  const specs = json.weightsManifest.flatMap((g) => g.weights ?? []);
  const expected = manifestByteLength(specs, label);
  if (expected > maxBytes) {
    throw new GraftError(
      'bad-request',
      `${label} lists ${formatMegabytes(expected)} of weights, more than this model can take (${formatMegabytes(maxBytes)}); it is not a weights file for it.`,
    );
  }
  const shards = await checkShards(path.dirname(jsonPath), json.weightsManifest, expected, label);
  const chunks: Buffer[] = [];
  for (const shard of shards) chunks.push(await readRegularFile(shard.file, { maxBytes: shard.size, what: `The weights shard of ${label}` }));
  return storedFromTfjs(specs, Buffer.concat(chunks), topologyLayerNames(json.modelTopology), { format: 'tfjs', source: label });
}
