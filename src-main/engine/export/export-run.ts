import fs from 'node:fs';
import path from 'node:path';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { GraftError } from '../../api/errors';
import { EXPORT_MARKER_FILE, type ExportFormat, type ExportJob, type ExportMeta, type ExportResult, type ParityReport, type PreprocessingSpec } from '../../api/types/export';
import { writeFileAtomic } from '../../base/atomic-write';
import { errnoCode } from '../../base/fs-errors';
import type { Tf } from '../backend';
import { loadImageRgb } from '../inference/load-image';
import { loadWeights } from '../models/weights/load-weights';
import { convertToOnnx } from '../onnx/convert/convert-model';
import { onnxRuntimeOnce } from '../onnx/ort-loader';
import { openOrtSession } from '../onnx/ort-session';
import { blocksOf, HEAD_BLOCK } from '../models/blocks';
import { checkpointFolder, loadCheckpoint } from '../training/checkpoint';
import { applyFreezePlan } from '../training/freeze-plan';
import { buildTrainingBase, inputSizeOf, scalingOf } from '../training/training-base';
import { buildTrainingModel } from '../training/training-model';
import { writeKerasJob } from './keras-job';
import { modelCard } from './model-card';
import { applyPreprocessing, preprocessingSpec } from './preprocessing-spec';
import { reportHtml } from './report-html';

/** The marker that says a folder is a Graft export (and may be replaced by a new one). */
export const EXPORT_MARKER = EXPORT_MARKER_FILE;

/** Largest |Δ| allowed between an export and the run's own model, per format. */
export const PARITY_BOUND: Record<Exclude<ExportFormat, 'keras-job'>, number> = { tfjs: 1e-5, keras: 1e-5, h5: 1e-5, onnx: 1e-4 };

/** The model file each format writes. */
const MODEL_FILE: Record<Exclude<ExportFormat, 'keras-job'>, string> = { tfjs: 'model.json', keras: 'model.keras', h5: 'model.h5', onnx: 'model.onnx' };

/** Hears how far an export is: steps done of the total, and what it does now. */
export type ExportStep = (done: number, total: number, message: string) => void;

/** Writers of the Keras formats (provided by the Keras writer module). */
export interface KerasWriters {
  keras(tf: Tf, model: LayersModel, file: string): Promise<unknown>;
  h5(tf: Tf, model: LayersModel, file: string): Promise<unknown>;
}

/** Refuses a target that is neither new, empty, nor an earlier export. */
function checkTarget(outDir: string): 'new' | 'replace' {
  let entries: string[];
  try {
    entries = fs.readdirSync(outDir);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return 'new';
    throw new GraftError('io', `Cannot use ${outDir} for the export: ${(error as Error).message}`);
  }
  if (entries.length === 0) return 'new';
  if (entries.includes(EXPORT_MARKER)) return 'replace';
  throw new GraftError('bad-request', `${outDir} is not empty and is not an earlier Graft export. Choose a new or empty folder.`);
}

/**
 * Exports a run's checkpoint as one format with everything needed beside it — `labels.json`,
 * `preprocessing.json`, a `README.md` model card and a self-contained `report.html` — checked
 * by reading the files back (our own readers; ONNX Runtime) and comparing with the run's model
 * on held-out images through the documented preprocessing. Written aside and renamed at the
 * end: a failed export (or a failed parity check) leaves nothing behind.
 */
export async function exportRun(
  tf: Tf,
  job: ExportJob,
  keras: KerasWriters | null,
  checkpoint: () => Promise<void>,
  onStep: ExportStep = () => undefined,
): Promise<ExportResult> {
  const mode = checkTarget(job.outDir);
  const steps = job.format === 'keras-job' ? 3 : 4;
  onStep(0, steps, `Reading the run's ${job.checkpoint} checkpoint…`);
  const aside = `${job.outDir}.${process.pid}.partial`;
  await fs.promises.rm(aside, { recursive: true, force: true });
  await fs.promises.mkdir(aside, { recursive: true });
  const size = inputSizeOf(job.meta.config.base);
  const spec = preprocessingSpec(scalingOf(job.meta.config.base), size);
  const { model } = await loadCheckpoint(tf, job.runDir, job.checkpoint);
  try {
    await checkpoint();
    onStep(1, steps, job.format === 'keras-job' ? `Writing train.py and the data tree (${job.images.length} images)…` : `Writing ${MODEL_FILE[job.format]}…`);
    let parity: ParityReport | null = null;
    switch (job.format) {
      case 'tfjs':
        for (const file of ['model.json', 'weights.bin']) await fs.promises.copyFile(path.join(job.runDir, checkpointFolder(job.checkpoint), file), path.join(aside, file));
        break;
      case 'onnx':
        await writeFileAtomic(path.join(aside, 'model.onnx'), Buffer.from(convertToOnnx(model).bytes));
        break;
      case 'keras':
      case 'h5': {
        if (!keras) throw new GraftError('bad-request', `Export as ${job.format} is not available in this version of Graft.`);
        await keras[job.format](tf, model, path.join(aside, job.format === 'keras' ? 'model.keras' : 'model.h5'));
        break;
      }
      case 'keras-job':
        await writeKerasJob(aside, job.meta, spec, job.images, unfrozenBaseLayers(model, job.meta));
        break;
    }
    await checkpoint();
    if (job.format !== 'keras-job') {
      onStep(2, steps, `Checking ${MODEL_FILE[job.format]} against the run on ${job.parityImages.length} held-out images…`);
      parity = await checkParity(tf, model, job, aside, spec);
    }
    onStep(steps - 1, steps, 'Writing labels, preprocessing, the model card and the report…');
    await writeFileAtomic(path.join(aside, 'labels.json'), JSON.stringify({ classes: job.meta.classes }, null, 2));
    await writeFileAtomic(path.join(aside, 'preprocessing.json'), JSON.stringify(spec, null, 2));
    await writeFileAtomic(path.join(aside, 'README.md'), modelCard(job.meta, job.format, spec, parity));
    await writeFileAtomic(path.join(aside, 'report.html'), reportHtml(job.meta, parity));
    const marker = { run: job.meta.runId, runName: job.meta.runName, checkpoint: job.checkpoint, format: job.format, graft: job.meta.appVersion, date: new Date().toISOString(), parity };
    await writeFileAtomic(path.join(aside, EXPORT_MARKER), JSON.stringify(marker, null, 2));
    if (parity && !parity.passed) {
      throw new GraftError(
        'internal',
        `The exported ${job.format} model answers differently from the run's model (max |Δ| ${parity.maxAbsDiff.toExponential(2)} > ${parity.bound.toExponential(0)}); nothing was written. Please report this.`,
      );
    }
    await swapIn(aside, job.outDir, mode);
    onStep(steps, steps, `Wrote ${job.outDir}`);
    return { format: job.format, dir: job.outDir, files: (await fs.promises.readdir(job.outDir)).sort(), parity };
  } catch (error) {
    await fs.promises.rm(aside, { recursive: true, force: true });
    throw error;
  } finally {
    model.dispose();
  }
}

async function swapIn(aside: string, outDir: string, mode: 'new' | 'replace'): Promise<void> {
  if (mode === 'replace') {
    const old = `${outDir}.${process.pid}.old`;
    await fs.promises.rename(outDir, old);
    await fs.promises.rename(aside, outDir);
    await fs.promises.rm(old, { recursive: true, force: true });
    return;
  }
  await fs.promises.rm(outDir, { recursive: true, force: true });
  await fs.promises.rename(aside, outDir);
}

/** The parity check: the exported file read back, against the run's model, on the same documented inputs. */
async function checkParity(tf: Tf, model: LayersModel, job: ExportJob, dir: string, spec: PreprocessingSpec): Promise<ParityReport> {
  const images = job.parityImages;
  if (images.length === 0) throw new GraftError('bad-request', 'The run has no held-out images to check the export on.');
  const inputs = await Promise.all(images.map(async (image) => applyPreprocessing(await loadImageRgb(image.path, { width: spec.width, height: spec.height }), spec)));
  const batch = new Float32Array(inputs.length * spec.width * spec.height * 3);
  inputs.forEach((input, i) => batch.set(input, i * input.length));
  const dims = [inputs.length, spec.height, spec.width, 3];
  const reference = tf.tidy(() => (model.predict(tf.tensor(batch, dims)) as Tensor).dataSync() as Float32Array);
  const format = job.format as Exclude<ExportFormat, 'keras-job'>;
  let reader: string;
  let exported: Float32Array;
  if (format === 'onnx') {
    const status = await onnxRuntimeOnce();
    if (!status.available) throw new GraftError('engine-unavailable', `The ONNX export cannot be checked: ${status.error}`);
    const session = await openOrtSession(status.runtime, path.join(dir, 'model.onnx'));
    try {
      exported = (await session.run(batch, dims))[0]!;
    } finally {
      await session.dispose();
    }
    reader = `ONNX Runtime ${status.runtime.version}`;
  } else {
    const file = path.join(dir, format === 'tfjs' ? 'model.json' : format === 'keras' ? 'model.keras' : 'model.h5');
    const fresh = await freshModel(tf, job);
    try {
      await loadWeights(tf, fresh, { kind: 'file', path: file });
      exported = tf.tidy(() => (fresh.predict(tf.tensor(batch, dims)) as Tensor).dataSync() as Float32Array);
    } finally {
      fresh.dispose();
    }
    reader = `Graft's ${format === 'tfjs' ? 'TF.js model.json' : format === 'keras' ? 'Keras .keras' : 'Keras .h5'} reader into a freshly built model`;
  }
  let maxAbsDiff = 0;
  for (let i = 0; i < reference.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(reference[i]! - exported[i]!));
  if (exported.length !== reference.length) maxAbsDiff = Infinity;
  const bound = PARITY_BOUND[format];
  return { maxAbsDiff, reader, images: images.length, passed: maxAbsDiff <= bound, bound };
}

/** The base layers the run's freeze plan trains (the head trains anyway). */
function unfrozenBaseLayers(model: LayersModel, meta: ExportMeta): string[] {
  const { arch } = meta.config.base;
  applyFreezePlan(model, arch, meta.config.freeze);
  const head = new Set(blocksOf(model, arch).find((b) => b.name === HEAD_BLOCK)?.layers ?? []);
  return model.layers.filter((l) => l.trainable && l.trainableWeights.length > 0 && !head.has(l.name)).map((l) => l.name);
}

/** The run's architecture built afresh (random weights), to load an exported file into. */
async function freshModel(tf: Tf, job: ExportJob): Promise<LayersModel> {
  const base = await buildTrainingBase(tf, { ...job.meta.config.base, weights: 'none' });
  return buildTrainingModel(tf, base.model, job.meta.config.head, job.meta.classes.length, job.meta.config.seed);
}
