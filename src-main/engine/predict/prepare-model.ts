import path from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import { GraftError } from '../../api/errors';
import type { RuntimeChoice } from '../../api/types/inference';
import type { EngineModelSource, ModelFileHints, PredictModelInfo } from '../../api/types/predict';
import type { Tf } from '../backend';
import { preprocessingSpec } from '../export/preprocessing-spec';
import type { FrozenForward } from '../inference/frozen-forward';
import { onnxRuntimeOnce, type OnnxRuntimeStatus } from '../onnx/ort-loader';
import { createFrozenForward } from '../onnx/select-frozen-forward';
import { checkpointFolder, loadCheckpoint } from '../training/checkpoint';
import { inputSizeOf, scalingOf } from '../training/training-base';
import { locateModel, modelOwnFiles, type ModelLocation } from './model-location';
import { modelUsage, sidecarFiles, type ModelShape } from './model-sidecars';
import { buildFromTopology, loadOwnWeights, readModelTopology, withInputSize } from './model-topology-file';
import { openOnnxFile } from './onnx-file-forward';

/** A model ready to predict with: the forward pass, what it is, and why ONNX Runtime was not used (when 'auto' fell back). */
export interface PreparedModel {
  forward: FrozenForward;
  info: PredictModelInfo;
  fallbackReason: string | null;
  /** Frees the forward and the model. */
  dispose(): void;
}

/** How to run the model. */
export interface PrepareOptions {
  runtime?: RuntimeChoice;
  threads?: number;
  /** How to get ONNX Runtime (tests inject a status); default: onnxruntime-node, loaded once. */
  loadOnnx?: () => Promise<OnnxRuntimeStatus>;
}

/** Probabilities per image of a tfjs model, and its input size; a model that is not a classifier is refused. */
function shapeOf(model: LayersModel, label: string): ModelShape {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) throw new GraftError('bad-request', `${label} has ${model.inputs.length} inputs and ${model.outputs.length} outputs; Graft predicts with one image in, one row of class scores out.`);
  const input = model.inputs[0]!.shape.slice(1);
  const output = model.outputs[0]!.shape.slice(1);
  if (input.length !== 3) throw new GraftError('bad-request', `${label} takes inputs of shape [${input.join(', ')}], not images [height, width, 3].`);
  if (output.length !== 1 || output[0] === null) throw new GraftError('bad-request', `${label} gives outputs of shape [${output.join(', ')}] per image, not a row of class scores.`);
  return { input, classes: output[0] === 1 ? 2 : output[0]!, layerNames: model.layers.map((l) => l.name) };
}

/** Runs the model where asked, taking it over: freed at once when ONNX Runtime took over (it no longer needs it), else by dispose. */
async function forwardFor(tf: Tf, model: LayersModel, info: PredictModelInfo, options: PrepareOptions): Promise<PreparedModel> {
  let selected;
  try {
    selected = await createFrozenForward(tf, model, { choice: options.runtime, threads: options.threads, loadOnnx: options.loadOnnx });
  } catch (error) {
    model.dispose();
    throw error;
  }
  const { forward, fallbackReason } = selected;
  if (forward.runtime === 'onnx') model.dispose();
  return {
    forward,
    info,
    fallbackReason,
    dispose: () => {
      forward.dispose();
      if (forward.runtime !== 'onnx') model.dispose();
    },
  };
}

/** A tfjs model and what it is, not yet running anywhere; the caller owns (and disposes) the model. */
export interface OpenedLayersModel {
  model: LayersModel;
  info: PredictModelInfo;
}

async function openCheckpoint(tf: Tf, source: Extract<EngineModelSource, { kind: 'checkpoint' }>): Promise<OpenedLayersModel> {
  const { model } = await loadCheckpoint(tf, source.runDir, source.checkpoint);
  try {
    const shape = shapeOf(model, `The ${source.checkpoint} checkpoint`);
    if (shape.classes !== source.classes.length) {
      throw new GraftError('bad-request', `The ${source.checkpoint} checkpoint gives ${shape.classes} probabilities per image, but the run has ${source.classes.length} classes.`);
    }
    const folder = path.join(source.runDir, checkpointFolder(source.checkpoint));
    const info: PredictModelInfo = {
      format: 'checkpoint',
      file: folder,
      files: [path.join(folder, 'model.json'), path.join(folder, 'weights.bin')],
      classes: [...source.classes],
      preprocessing: preprocessingSpec(scalingOf(source.config.base), inputSizeOf(source.config.base)),
      assumptions: [],
    };
    return { model, info };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

async function openLayersFile(tf: Tf, location: ModelLocation, hints: ModelFileHints): Promise<OpenedLayersModel> {
  const label = path.basename(location.file);
  const topology = await readModelTopology(location);
  let model: LayersModel | null = await buildFromTopology(tf, topology, label);
  try {
    const shape = shapeOf(model, label);
    const usage = await modelUsage(location, shape, hints);
    if (shape.input[0] === null || shape.input[1] === null) {
      // Built again at the size its preprocessing names: ONNX conversion needs fixed sizes.
      model.dispose();
      model = null;
      model = await buildFromTopology(tf, withInputSize(topology, usage.preprocessing.height, usage.preprocessing.width), label);
    }
    await loadOwnWeights(tf, model, location);
    const info: PredictModelInfo = { format: location.format, file: location.file, files: [...(await modelOwnFiles(location)), ...(await sidecarFiles(location))], ...usage };
    const built = model;
    model = null;
    return { model: built, info };
  } catch (error) {
    model?.dispose();
    throw error;
  }
}

/**
 * Opens a run's checkpoint or a TensorFlow.js / Keras model file as a tfjs model with what it
 * is (classes, preprocessing) — for training to start from. An ONNX file is refused: its
 * weights cannot be trained further here.
 */
export async function openLayersModel(tf: Tf, source: EngineModelSource): Promise<OpenedLayersModel> {
  if (source.kind === 'checkpoint') return openCheckpoint(tf, source);
  const location = await locateModel(source.path);
  if (location.format === 'onnx') {
    throw new GraftError('bad-request', `${path.basename(location.file)} is an ONNX model: Graft can predict with it but not train it further. Start from its TensorFlow.js or Keras export instead.`);
  }
  return openLayersFile(tf, location, { classes: source.classes, preprocessing: source.preprocessing, preprocessMode: source.preprocessMode });
}

async function prepareOnnxFile(location: ModelLocation, hints: ModelFileHints, options: PrepareOptions): Promise<PreparedModel> {
  const label = path.basename(location.file);
  if (options.runtime === 'tfjs') throw new GraftError('bad-request', `${label} is an ONNX model: it runs on ONNX Runtime only. Leave the runtime at auto (or onnx).`);
  const status = await (options.loadOnnx ?? onnxRuntimeOnce)();
  if (!status.available) throw new GraftError('engine-unavailable', `${label} needs ONNX Runtime, which cannot be used here: ${status.error}`);
  const opened = await openOnnxFile(status.runtime, location.file, options.threads);
  try {
    if (opened.outputWidth === null) throw new GraftError('bad-request', `${label} does not fix how many class scores it gives per image; Graft cannot tell its classes.`);
    const usage = await modelUsage(location, { input: opened.input, classes: opened.outputWidth === 1 ? 2 : opened.outputWidth, layerNames: [] }, hints);
    const forward = opened.forward(usage.preprocessing.height, usage.preprocessing.width);
    const info: PredictModelInfo = { format: 'onnx', file: location.file, files: [location.file, ...(await sidecarFiles(location))], ...usage };
    return { forward, info, fallbackReason: null, dispose: () => forward.dispose() };
  } catch (error) {
    await opened.dispose();
    throw error;
  }
}

/**
 * Loads the model a prediction names: a run's checkpoint (its preprocessing from the run's
 * config), or a model file or export folder of any format Graft writes — TensorFlow.js,
 * `.keras`, `.h5` (rebuilt from their own topology; converted to ONNX where ONNX Runtime
 * loads) or `.onnx` (opened directly) — with the `labels.json` and `preprocessing.json` beside it.
 */
export async function preparePredictModel(tf: Tf, source: EngineModelSource, options: PrepareOptions = {}): Promise<PreparedModel> {
  if (source.kind === 'checkpoint') {
    const { model, info } = await openCheckpoint(tf, source);
    return forwardFor(tf, model, info, options);
  }
  const location = await locateModel(source.path);
  const hints: ModelFileHints = { classes: source.classes, preprocessing: source.preprocessing, preprocessMode: source.preprocessMode };
  if (location.format === 'onnx') return prepareOnnxFile(location, hints, options);
  const { model, info } = await openLayersFile(tf, location, hints);
  return forwardFor(tf, model, info, options);
}
