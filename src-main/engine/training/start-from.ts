import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { GraftError } from '../../api/errors';
import type { PreprocessingSpec } from '../../api/types/export';
import type { RunInit } from '../../api/types/predict';
import type { TrainingConfig } from '../../api/types/runs';
import type { Tf } from '../backend';
import { preprocessingSpec } from '../export/preprocessing-spec';
import { openLayersModel } from '../predict/prepare-model';
import { inputSizeOf, scalingOf } from './training-base';

type Layer = LayersModel['layers'][number];

/** What a run's model took over from the model it starts from. */
export interface StartedFrom {
  /** Layers whose weights were copied whole. */
  layers: number;
  /** Classes whose classifier weights carried over (by name). */
  classesCarried: number;
  /** The run's classes the model did not have: their classifier weights start afresh. */
  newClasses: string[];
  /** Head layers that did not match (another size or missing) and start afresh. */
  freshLayers: string[];
  /** The same, in a sentence for the run's progress. */
  message: string;
}

function isHeadLayer(name: string): boolean {
  return name === 'predictions' || name.startsWith('head_');
}

function sameShapes(a: readonly Tensor[], b: readonly Tensor[]): boolean {
  return a.length === b.length && a.every((t, i) => t.shape.join() === b[i]!.shape.join());
}

/** The source's classifier: its `predictions` layer, else the Dense layer that gives its output. */
function classifierOf(model: LayersModel): Layer | null {
  const named = model.layers.find((l) => l.name === 'predictions');
  if (named) return named;
  const output = model.outputs[0]!.sourceLayer as Layer;
  return output.getClassName() === 'Dense' ? output : null;
}

/**
 * Copies the classifier class by class: the run's class c takes the source's column for the
 * class of the same name; classes the source lacks keep their fresh initial weights. A
 * one-unit sigmoid carries over only to the same two classes. Returns how many carried over.
 */
function carryClassifier(tf: Tf, target: Layer, source: Layer, runClasses: readonly string[], sourceClasses: readonly (string | null)[]): number {
  const [kernel, bias] = target.getWeights();
  const [sourceKernel, sourceBias] = source.getWeights();
  if (!kernel || !bias || !sourceKernel || !sourceBias || kernel.shape[0] !== sourceKernel.shape[0]) return 0;
  const units = kernel.shape[1]!;
  const sourceUnits = sourceKernel.shape[1]!;
  if (units === 1 || sourceUnits === 1) {
    const same = units === sourceUnits && runClasses.join('\n') === sourceClasses.join('\n');
    if (same) target.setWeights([sourceKernel, sourceBias]);
    return same ? runClasses.length : 0;
  }
  const features = kernel.shape[0]!;
  const k = kernel.dataSync().slice() as Float32Array;
  const b = bias.dataSync().slice() as Float32Array;
  const sk = sourceKernel.dataSync();
  const sb = sourceBias.dataSync();
  let carried = 0;
  runClasses.forEach((name, c) => {
    const s = sourceClasses.indexOf(name);
    if (s < 0 || s >= sourceUnits) return;
    for (let f = 0; f < features; f++) k[f * units + c] = sk[f * sourceUnits + s]!;
    b[c] = sb[s]!;
    carried += 1;
  });
  const newKernel = tf.tensor(k, kernel.shape);
  const newBias = tf.tensor(b, bias.shape);
  target.setWeights([newKernel, newBias]);
  newKernel.dispose();
  newBias.dispose();
  return carried;
}

/**
 * Starts a run's freshly built model (base + head) from a trained model: every layer of the
 * base takes the trained model's weights (same name and shapes required — another
 * architecture is refused), head layers where they match, and the classifier class by class.
 * Refuses a model trained on differently prepared inputs: its layers would see other numbers
 * than they learned from.
 */
export async function startFromModel(tf: Tf, model: LayersModel, init: RunInit, run: { classes: readonly string[]; preprocessing: PreprocessingSpec }): Promise<StartedFrom> {
  const { model: source, info } = await openLayersModel(tf, init.source);
  try {
    if (info.preprocessing.mode !== run.preprocessing.mode) {
      const hint = info.preprocessing.mode === 'unit' ? 'the bundled weights' : 'ImageNet weights (or a Keras weights file)';
      throw new GraftError(
        'bad-request',
        `${init.label} was trained on inputs prepared as "${info.preprocessing.mode}", but this run prepares them as "${run.preprocessing.mode}". Choose ${hint} for the base, as it was trained with, so its layers see what they learned from.`,
      );
    }
    const byName = new Map(source.layers.map((l) => [l.name, l]));
    const sourceClassifier = classifierOf(source);
    let layers = 0;
    let classesCarried = 0;
    const missingBase: string[] = [];
    const freshLayers: string[] = [];
    for (const layer of model.layers) {
      if (layer.weights.length === 0) continue;
      if (layer.name === 'predictions') {
        classesCarried = sourceClassifier ? carryClassifier(tf, layer, sourceClassifier, run.classes, init.classes) : 0;
        continue;
      }
      const match = byName.get(layer.name);
      const weights = match?.getWeights() ?? [];
      if (match && sameShapes(weights, layer.getWeights())) {
        layer.setWeights(weights);
        layers += 1;
      } else if (isHeadLayer(layer.name)) freshLayers.push(layer.name);
      else missingBase.push(layer.name);
    }
    if (missingBase.length > 0) {
      throw new GraftError(
        'bad-request',
        `${init.label} does not fit this run's base: ${missingBase.length} of its layers (${missingBase.slice(0, 3).join(', ')}${missingBase.length > 3 ? ', …' : ''}) are missing or shaped differently. Choose the architecture it was trained on.`,
      );
    }
    const newClasses = run.classes.filter((c) => !init.classes.includes(c));
    const parts = [`${layers} layers' weights`, `the classifier for ${classesCarried} of ${run.classes.length} classes`];
    if (newClasses.length > 0) parts.push(`new: ${newClasses.join(', ')}`);
    if (freshLayers.length > 0) parts.push(`${freshLayers.join(', ')} start afresh (another size)`);
    return { layers, classesCarried, newClasses, freshLayers, message: `Starting from ${init.label}: ${parts.join('; ')}.` };
  } finally {
    source.dispose();
  }
}

/** `startFromModel` for a run: its classes and the preprocessing its config implies. */
export function startRunFrom(tf: Tf, model: LayersModel, init: RunInit, config: TrainingConfig, classes: readonly string[]): Promise<StartedFrom> {
  return startFromModel(tf, model, init, { classes, preprocessing: preprocessingSpec(scalingOf(config.base), inputSizeOf(config.base)) });
}
