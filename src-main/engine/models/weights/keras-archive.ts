import { rmSync } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GraftError } from '../../../api/errors';
import { FileRefusal, formatMegabytes, openRegularFile } from '../../../base/regular-file';
import { openH5, weightsFileRefusal } from './h5-file';
import { readKeras3Layout, type KerasLayerConfig } from './keras3-layout';
import type { StoredWeights } from './stored-weights';
import { DEFAULT_WEIGHTS_BUDGET } from './weights-budget';
import { extractZipEntry, readZipDirectory, ZipEntryTooLarge, ZipFormatError, type ZipEntry } from './zip-entries';

const CONFIG = 'config.json';
const WEIGHTS = 'model.weights.h5';
/** A Keras config.json is a layer list: InceptionV3's is well under 1 MB. */
const MAX_CONFIG_BYTES = 32 * 1024 * 1024;

interface KerasConfig {
  class_name?: string;
  config?: { layers?: KerasLayerConfig[] };
}

function parseLayers(configBytes: Buffer, label: string): KerasLayerConfig[] {
  let config: KerasConfig;
  try {
    config = JSON.parse(configBytes.toString('utf8')) as KerasConfig;
  } catch {
    throw new GraftError('io', `The ${CONFIG} inside ${label} is not valid JSON; the file is corrupt.`);
  }
  const layers = config?.config?.layers;
  if (!Array.isArray(layers)) {
    throw new GraftError(
      'bad-request',
      `${label} holds a ${config?.class_name ?? 'model'} without a layer list; only Functional and Sequential models load.`,
    );
  }
  return layers;
}

/** The config and weights entries, chosen by name from the directory before anything is inflated. */
function pickEntries(entries: ZipEntry[], label: string): { config: ZipEntry; weights: ZipEntry } {
  const named = (name: string): ZipEntry | undefined => {
    const found = entries.filter((e) => e.name === name);
    if (found.length > 1) throw new GraftError('bad-request', `${label} holds ${name} ${found.length} times; it is not an archive Keras wrote.`);
    return found[0];
  };
  const config = named(CONFIG);
  if (!config) throw new GraftError('bad-request', `${label} has no ${CONFIG}; it is not a Keras 3 model archive.`);
  const weights = named(WEIGHTS);
  if (!weights) {
    const other = entries.find((e) => e.name.startsWith('model.weights') || /\.weights\.h5$/.test(e.name));
    throw new GraftError(
      'bad-request',
      other
        ? `${label} stores its weights as ${other.name}; only ${WEIGHTS} is supported — re-save it with Keras's default settings.`
        : `${label} has no ${WEIGHTS}; it holds no weights.`,
    );
  }
  return { config, weights };
}

function zipError(error: unknown, label: string): unknown {
  if (error instanceof ZipEntryTooLarge) {
    return new GraftError(
      'bad-request',
      `${error.entry} inside ${label} inflates to more than ${formatMegabytes(error.limit)}, more than this model's weights take; it is not a weights file for it.`,
    );
  }
  if (error instanceof ZipFormatError) return new GraftError('io', `Could not unpack ${label}: ${error.message}. The file may be truncated or corrupt.`);
  return error;
}

/**
 * Reads a Keras 3 `.keras` archive: `config.json` names the layers, `model.weights.h5` holds
 * them as `layers/<class>[_n]/vars/<i>`. Entries are chosen by name from the zip's directory
 * and only those two are inflated: the config into memory (at most 32 MB), the weights
 * streamed to a temporary file (h5wasm reads from the file system) of at most `maxBytes`,
 * which `dispose()` removes.
 */
export async function readKerasArchive(file: string, maxBytes = DEFAULT_WEIGHTS_BUDGET): Promise<StoredWeights> {
  const label = path.basename(file);
  let opened;
  try {
    opened = await openRegularFile(path.resolve(file), { maxBytes: Number.MAX_SAFE_INTEGER, what: 'The weights file' });
  } catch (error) {
    throw error instanceof FileRefusal ? weightsFileRefusal(error, path.resolve(file), maxBytes) : error;
  }
  const { handle, size } = opened;
  let dir: string | null = null;
  try {
    const magic = Buffer.alloc(2);
    await handle.read(magic, 0, 2, 0);
    if (magic[0] !== 0x50 || magic[1] !== 0x4b) {
      throw new GraftError('bad-request', `${label} is not a Keras 3 .keras archive (it is not a zip file).`);
    }
    const { config, weights } = pickEntries(await readZipDirectory(handle, size), label);
    const configParts: Buffer[] = [];
    await extractZipEntry(handle, config, MAX_CONFIG_BYTES, (chunk) => void configParts.push(chunk));
    const layers = parseLayers(Buffer.concat(configParts), label);
    dir = await mkdtemp(path.join(os.tmpdir(), 'graft-keras-'));
    const h5Path = path.join(dir, WEIGHTS);
    const out = await open(h5Path, 'wx');
    try {
      await extractZipEntry(handle, weights, maxBytes, async (chunk) => void (await out.write(chunk)));
    } finally {
      await out.close();
    }
    const h5 = await openH5(h5Path, `${label} (${WEIGHTS})`, maxBytes);
    const tempDir = dir;
    const dispose = (): void => {
      h5.close();
      rmSync(tempDir, { recursive: true, force: true });
    };
    try {
      return { format: 'keras-v3', source: label, layers: readKeras3Layout(h5, layers), dispose };
    } catch (error) {
      dispose();
      dir = null;
      throw error;
    }
  } catch (error) {
    if (dir) await rm(dir, { recursive: true, force: true });
    throw zipError(error, label);
  } finally {
    await handle.close();
  }
}
