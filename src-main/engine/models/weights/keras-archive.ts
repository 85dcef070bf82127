import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { GraftError } from '../../../api/errors';
import { openH5 } from './h5-file';
import { readKeras3Layout, type KerasLayerConfig } from './keras3-layout';
import type { StoredWeights } from './stored-weights';

const CONFIG = 'config.json';
const WEIGHTS = 'model.weights.h5';

interface KerasConfig {
  class_name?: string;
  config?: { layers?: KerasLayerConfig[] };
}

function unzip(bytes: Uint8Array, label: string): Record<string, Uint8Array> {
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
    throw new GraftError('bad-request', `${label} is not a Keras 3 .keras archive (it is not a zip file).`);
  }
  try {
    // Skip assets: only the config and the weights matter here.
    return unzipSync(bytes, { filter: (f) => f.name === CONFIG || f.name.startsWith('model.weights') });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new GraftError('io', `Could not unpack ${label}: ${why}. The file may be truncated or corrupt.`);
  }
}

function parseLayers(configBytes: Uint8Array | undefined, label: string): KerasLayerConfig[] {
  if (!configBytes) throw new GraftError('bad-request', `${label} has no ${CONFIG}; it is not a Keras 3 model archive.`);
  let config: KerasConfig;
  try {
    config = JSON.parse(Buffer.from(configBytes).toString('utf8')) as KerasConfig;
  } catch {
    throw new GraftError('io', `The ${CONFIG} inside ${label} is not valid JSON; the file is corrupt.`);
  }
  const layers = config.config?.layers;
  if (!Array.isArray(layers)) {
    throw new GraftError(
      'bad-request',
      `${label} holds a ${config.class_name ?? 'model'} without a layer list; only Functional and Sequential models load.`,
    );
  }
  return layers;
}

/**
 * Reads a Keras 3 `.keras` archive: `config.json` names the layers, `model.weights.h5` holds
 * them as `layers/<class>[_n]/vars/<i>`. h5wasm reads from the file system, so the weights are
 * unpacked to a temporary file that `dispose()` removes.
 */
export async function readKerasArchive(file: string): Promise<StoredWeights> {
  const label = path.basename(file);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch {
    throw new GraftError('io', `Weights file not found: ${path.resolve(file)}`);
  }
  const entries = unzip(bytes, label);
  const layers = parseLayers(entries[CONFIG], label);
  const weights = entries[WEIGHTS];
  if (!weights) {
    const other = Object.keys(entries).find((n) => n.startsWith('model.weights'));
    throw new GraftError(
      'bad-request',
      other
        ? `${label} stores its weights as ${other}; only ${WEIGHTS} is supported — re-save it with Keras's default settings.`
        : `${label} has no ${WEIGHTS}; it holds no weights.`,
    );
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'graft-keras-'));
  const removeDir = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    const h5Path = path.join(dir, WEIGHTS);
    writeFileSync(h5Path, weights);
    const h5 = await openH5(h5Path, `${label} (${WEIGHTS})`);
    const dispose = (): void => {
      h5.close();
      removeDir();
    };
    try {
      return { format: 'keras-v3', source: label, layers: readKeras3Layout(h5, layers), dispose };
    } catch (error) {
      dispose();
      throw error;
    }
  } catch (error) {
    removeDir();
    throw error;
  }
}
