import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ARCHITECTURES } from '../../api/model-catalog';
import { GraftError } from '../../api/errors';
import { labelsFile, preprocessingSpecParser } from '../../api/params/predict-params';
import type { PreprocessingSpec } from '../../api/types/export';
import type { ArchName } from '../../api/types/models';
import type { ModelFileHints } from '../../api/types/predict';
import { ParseError, type Parser } from '../../base/parse';
import { FileRefusal, readRegularFile } from '../../base/regular-file';
import { preprocessingSpec } from '../export/preprocessing-spec';
import type { InputScaling } from '../inference/inference-model';
import type { ModelLocation } from './model-location';

/** The files beside an export that say how to use its model. */
export const LABELS_FILE = 'labels.json';
/** See LABELS_FILE. */
export const PREPROCESSING_FILE = 'preprocessing.json';
/** Graft's export marker (kept with an imported model: it says which run the model came from). */
const MARKER_FILE = 'graft-export.json';

/**
 * Largest labels.json or preprocessing.json read. Real ones take a few kB (ImageNet's 1,000
 * class names about 30 kB); anything near this is not such a file.
 */
export const MAX_SIDECAR_BYTES = 16 * 1024 * 1024;

/** What to do about a sidecar Graft cannot use, by its name. */
const SIDECAR_FIX: Readonly<Record<string, string>> = {
  [LABELS_FILE]: `Put the ${LABELS_FILE} of the model's export there (a JSON list of class names), or remove it and name the classes another way (graft predict --labels).`,
  [PREPROCESSING_FILE]: `Put the ${PREPROCESSING_FILE} of the model's export there, or remove it and say the preprocessing another way (graft predict --preprocessing).`,
};

/** What a model needs besides its weights, and what was assumed to get it. */
export interface ModelUsage {
  classes: string[];
  preprocessing: PreprocessingSpec;
  assumptions: string[];
}

/** What is known of a model's graph to fill in what its files leave out. */
export interface ModelShape {
  /** Per image [height, width, channels]; null where the model leaves a size open. */
  input: (number | null)[];
  /** Probabilities per image (a one-unit sigmoid counts as two classes). */
  classes: number;
  /** Layer names, to recognise a Keras Applications trunk; empty for ONNX. */
  layerNames: readonly string[];
}

/**
 * A sidecar beside the model, parsed; null when there is none. Only a regular file of at most
 * MAX_SIDECAR_BYTES is read: one that is a FIFO, a device or a folder, or too large, is refused
 * with what to do rather than ignored (the model would run with guessed classes) or waited on.
 */
async function readJsonFile<T>(file: string, parse: Parser<T>): Promise<T | null> {
  const name = path.basename(file);
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(file, { maxBytes: MAX_SIDECAR_BYTES, what: `The model's ${name}` });
  } catch (error) {
    if (!(error instanceof FileRefusal)) throw error;
    if (error.reason === 'missing') return null;
    throw new GraftError(error.reason === 'unreadable' ? 'io' : 'bad-request', `${error.message} ${SIDECAR_FIX[name] ?? ''}`.trim());
  }
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8')) as unknown;
  } catch (error) {
    throw new GraftError('bad-request', `${file} cannot be read as JSON (${(error as Error).message.split('\n')[0]}). ${SIDECAR_FIX[name] ?? ''}`.trim());
  }
  try {
    return parse(value);
  } catch (error) {
    if (error instanceof ParseError) throw new GraftError('bad-request', `${file} is not what Graft writes there: ${error.message}`);
    throw error;
  }
}

/** The files of a model that exist beside it (sidecars and Graft's marker), absolute. */
export async function sidecarFiles(location: ModelLocation): Promise<string[]> {
  const out: string[] = [];
  for (const name of [LABELS_FILE, PREPROCESSING_FILE, MARKER_FILE]) {
    const file = path.join(location.dir, name);
    if ((await stat(file).catch(() => null))?.isFile()) out.push(file);
  }
  return out;
}

/** A Keras Applications trunk recognised by the layer names Keras gives it (Graft's bases keep them). */
export function recogniseArch(layerNames: readonly string[]): ArchName | null {
  const names = new Set(layerNames);
  if (names.has('mixed10')) return 'inception_v3';
  if (names.has('block_16_project') && names.has('Conv1')) return 'mobilenet_v2';
  if (names.has('conv5_block3_out') || names.has('res5c_branch2c')) return 'resnet50';
  if (names.has('block5_conv3') && names.has('block1_conv1')) return 'vgg16';
  return null;
}

/** A spec at the model's own input size (a recognised trunk's default when the model leaves it open). */
function specAtModelSize(scaling: InputScaling, shape: ModelShape, label: string, assumptions: string[]): PreprocessingSpec {
  const arch = recogniseArch(shape.layerNames);
  const [height, width] = shape.input;
  let size = height ?? width ?? null;
  if (size === null) {
    if (!arch) throw new GraftError('bad-request', `${label} takes images of any size, so Graft cannot tell which to use: put a ${PREPROCESSING_FILE} beside it (with width and height).`);
    size = ARCHITECTURES[arch].defaultInputSize;
    assumptions.push(`${label} takes any input size; Graft uses ${ARCHITECTURES[arch].displayName}'s default, ${size}×${size}.`);
  }
  const result = preprocessingSpec(scaling, size);
  return height !== null && width !== null && height !== undefined && width !== undefined ? { ...result, height, width } : result;
}

/** Preprocessing for a model that came without it: its trunk's Keras `preprocess_input`, at its input size. */
function inferPreprocessing(shape: ModelShape, file: string, assumptions: string[]): PreprocessingSpec {
  const arch = recogniseArch(shape.layerNames);
  const label = path.basename(file);
  if (!arch) {
    throw new GraftError(
      'bad-request',
      `${label} has no ${PREPROCESSING_FILE} beside it and Graft does not recognise its architecture, so it cannot know how to scale its inputs. ` +
        `Put a ${PREPROCESSING_FILE} beside it (as Graft's exports have) or say the preprocessing (graft predict --preprocessing caffe|tf|torch|unit).`,
    );
  }
  const spec = ARCHITECTURES[arch];
  const result = specAtModelSize({ kind: 'keras', mode: spec.preprocessMode }, shape, label, assumptions);
  assumptions.push(
    `${label} has no ${PREPROCESSING_FILE}: its layers are ${spec.displayName}'s, so Graft assumed Keras's preprocess_input for it ` +
      `(${spec.preprocessMode} mode) at ${result.width}×${result.height}. A model trained on 0–1 inputs (Graft's bundled bases) needs --preprocessing unit.`,
  );
  return result;
}

/**
 * How to use a model file: its classes and preprocessing (or its scaling mode) from the caller, else from
 * `labels.json` / `preprocessing.json` beside it, else inferred where that is safe (class
 * names numbered; a recognised Keras Applications trunk's own preprocessing), saying so in
 * `assumptions`. The classes must match the model's outputs, and the input size its input.
 */
export async function modelUsage(location: ModelLocation, shape: ModelShape, hints: ModelFileHints): Promise<ModelUsage> {
  const assumptions: string[] = [];
  const label = path.basename(location.file);
  let classes = hints.classes ?? (await readJsonFile(path.join(location.dir, LABELS_FILE), labelsFile));
  if (!classes) {
    classes = Array.from({ length: shape.classes }, (_, i) => `class_${i}`);
    assumptions.push(`${label} has no ${LABELS_FILE}: its ${shape.classes} classes are named class_0 … class_${shape.classes - 1}.`);
  }
  if (classes.length !== shape.classes) {
    throw new GraftError('bad-request', `${label} gives ${shape.classes} probabilities per image, but its labels name ${classes.length} classes (${classes.slice(0, 5).join(', ')}${classes.length > 5 ? ', …' : ''}).`);
  }
  const preprocessing =
    hints.preprocessing ??
    (hints.preprocessMode ? specAtModelSize(hints.preprocessMode === 'unit' ? { kind: 'unit' } : { kind: 'keras', mode: hints.preprocessMode }, shape, label, assumptions) : null) ??
    (await readJsonFile(path.join(location.dir, PREPROCESSING_FILE), preprocessingSpecParser)) ??
    inferPreprocessing(shape, location.file, assumptions);
  const [height, width, channels] = shape.input;
  if ((height !== null && height !== undefined && height !== preprocessing.height) || (width !== null && width !== undefined && width !== preprocessing.width)) {
    throw new GraftError('bad-request', `${label} takes ${width}×${height} images, but its preprocessing says ${preprocessing.width}×${preprocessing.height}.`);
  }
  if (channels !== null && channels !== undefined && channels !== 3) throw new GraftError('bad-request', `${label} takes ${channels}-channel images; Graft feeds RGB (3 channels).`);
  return { classes, preprocessing, assumptions };
}
