import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { GraftError } from '../../../api/errors';
import type { StoredWeights } from './stored-weights';
import { storedFromTfjs, topologyLayerNames, type TfjsManifestGroup } from './tfjs-weights';

interface ModelJson {
  format?: string;
  modelTopology?: unknown;
  weightsManifest?: TfjsManifestGroup[];
}

async function resolveModelJson(file: string): Promise<string> {
  try {
    const info = await stat(file);
    return info.isDirectory() ? path.join(file, 'model.json') : file;
  } catch {
    throw new GraftError('io', `Weights file not found: ${path.resolve(file)}`);
  }
}

async function readShard(dir: string, shard: string, label: string): Promise<Uint8Array> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(shard) || path.isAbsolute(shard)) {
    throw new GraftError('bad-request', `${label} points at weights outside its folder (${shard}); only local shards load.`);
  }
  const file = path.resolve(dir, shard);
  try {
    return await readFile(file);
  } catch {
    throw new GraftError('io', `${label} needs the weights shard ${shard}, which is missing next to it.`);
  }
}

/**
 * Reads the weights of a TensorFlow.js layers model from disk: `model.json` (or its folder) and
 * the shard files its `weightsManifest` lists, quantized or not. No network is ever touched.
 */
export async function readTfjsModelJson(file: string): Promise<StoredWeights> {
  const jsonPath = await resolveModelJson(file);
  const label = path.basename(path.dirname(jsonPath)) + '/' + path.basename(jsonPath);
  let json: ModelJson;
  try {
    json = JSON.parse(await readFile(jsonPath, 'utf8')) as ModelJson;
  } catch (error) {
    if (error instanceof SyntaxError) throw new GraftError('bad-request', `${label} is not valid JSON.`);
    throw new GraftError('io', `Weights file not found: ${path.resolve(jsonPath)}`);
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
  const dir = path.dirname(jsonPath);
  const chunks: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    for (const shard of group.paths ?? []) chunks.push(await readShard(dir, shard, label));
  }
  const data = Buffer.concat(chunks);
  const specs = json.weightsManifest.flatMap((g) => g.weights ?? []);
  return storedFromTfjs(specs, data, topologyLayerNames(json.modelTopology), { format: 'tfjs', source: label });
}
