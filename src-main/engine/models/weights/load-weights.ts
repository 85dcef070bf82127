import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import { assertNever, GraftError } from '../../../api/errors';
import type { Tf } from '../../backend';
import { assignWeights, type AssignOptions, type LoadReport } from './assign-weights';
import { readBundledWeights } from './bundled-bases';
import { bundledBase } from '../../../api/model-catalog';
import type { BundledName } from '../../../api/types/models';
import { downloadWeightsFile, type DownloadProgress } from './download-manager';
import { imagenetWeightsFile, type ImagenetArch } from './imagenet-files';
import { readKerasArchive } from './keras-archive';
import { readKerasH5 } from './keras-h5';
import { modelLayerConfigs } from './keras3-layout';
import type { StoredWeights } from './stored-weights';
import { readTfjsModelJson } from './tfjs-model-json';
import { weightsByteBudget } from './weights-budget';
import { FileRefusal, openRegularFile } from '../../../base/regular-file';
import { weightsFileRefusal } from './h5-file';

/** Where weights come from: a local file, a trunk bundled with the app, or Keras's ImageNet files. */
export type WeightsSource =
  | { kind: 'file'; path: string }
  | { kind: 'bundled'; name: BundledName }
  | {
      kind: 'imagenet';
      arch: ImagenetArch;
      includeTop: boolean;
      cacheDir: string;
      onProgress?: (progress: DownloadProgress) => void;
      signal?: AbortSignal;
      /** Replaces the Keras download host (tests, mirrors). */
      baseUrl?: string;
    };

async function sniff(file: string): Promise<'h5' | 'keras' | 'json' | null> {
  let opened;
  try {
    opened = await openRegularFile(file, { maxBytes: Number.MAX_SAFE_INTEGER, what: 'The weights file' });
  } catch (error) {
    throw error instanceof FileRefusal ? weightsFileRefusal(error, path.resolve(file), Number.MAX_SAFE_INTEGER) : error;
  }
  const { handle } = opened;
  try {
    const head = Buffer.alloc(8);
    await handle.read(head, 0, 8, 0);
    if (head.subarray(1, 4).toString('latin1') === 'HDF') return 'h5';
    if (head[0] === 0x50 && head[1] === 0x4b) return 'keras';
    if (head.toString('utf8').trimStart().startsWith('{')) return 'json';
    return null;
  } finally {
    await handle.close();
  }
}

/**
 * Opens a weights file by its extension (.h5, .keras, model.json or its folder), else by its
 * first bytes. Nothing larger than the model's weights budget is read (see weightsByteBudget),
 * and only regular files are opened.
 */
export async function readWeightsFile(file: string, model: LayersModel | null = null): Promise<StoredWeights> {
  const info = await stat(file).catch(() => null);
  if (!info) throw new GraftError('io', `Weights file not found: ${path.resolve(file)}`);
  const budget = weightsByteBudget(model);
  const ext = path.extname(file).toLowerCase();
  const kind = info.isDirectory() || ext === '.json' ? 'json'
    : ext === '.h5' || ext === '.hdf5' ? 'h5'
    : ext === '.keras' ? 'keras'
    : await sniff(file);
  // Keras 3 `.weights.h5` files carry no layer list: walk them with the model's, as Keras does.
  if (kind === 'h5') return readKerasH5(file, model ? modelLayerConfigs(model) : null, budget);
  if (kind === 'keras') return readKerasArchive(file, budget);
  if (kind === 'json') return readTfjsModelJson(file, budget);
  throw new GraftError(
    'bad-request',
    `${path.basename(file)} is not a weights file Graft reads: choose a Keras .h5 or .keras file or a TensorFlow.js model.json.`,
  );
}

function inputRowsCols(model: LayersModel): { rows: number | null; cols: number | null } {
  const shape = model.inputs[0]?.shape ?? [];
  return { rows: shape[1] ?? null, cols: shape[2] ?? null };
}

/**
 * Loads weights into a model built with Keras's layer names: by name where the names match,
 * else by topological order with shape checks (Keras 2 numbered InceptionV3 files). Expected
 * failures (missing file, wrong architecture, wrong shapes, corrupt file, offline) are GraftErrors.
 */
export async function loadWeights(
  tf: Tf,
  model: LayersModel,
  source: WeightsSource,
  options: AssignOptions = {},
): Promise<LoadReport> {
  let stored: StoredWeights;
  switch (source.kind) {
    case 'file':
      stored = await readWeightsFile(source.path, model);
      break;
    case 'bundled': {
      const base = bundledBase(source.name);
      if (model.layers.some((l) => l.name === 'predictions')) {
        throw new GraftError(
          'bad-request',
          `${base.label} has no ImageNet classifier head (it was fine-tuned for a 5-class content task); ` +
            'build the model with includeTop: false.',
        );
      }
      stored = await readBundledWeights(source.name);
      break;
    }
    case 'imagenet': {
      const file = imagenetWeightsFile(source.arch, source.includeTop, inputRowsCols(model));
      const local = await downloadWeightsFile(file, {
        cacheDir: source.cacheDir,
        baseUrl: source.baseUrl,
        onProgress: source.onProgress,
        signal: source.signal,
      });
      stored = await readKerasH5(local);
      break;
    }
    default:
      return assertNever(source, 'weights source');
  }
  try {
    return assignWeights(tf, model, stored, options);
  } finally {
    stored.dispose();
  }
}
