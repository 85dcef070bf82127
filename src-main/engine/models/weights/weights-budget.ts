import type { LayersModel } from '@tensorflow/tfjs';
import { ARCH_NAMES, ARCHITECTURES } from '../../../api/model-catalog';

// A file may carry, beside the model's float32 weights, a classifier head the model lacks and
// optimizer state (Adam keeps two slots per weight, as Keras full-model and .keras files do).
const COPIES = 3;
// Topology, names, HDF5 and zip overhead.
const SLACK_BYTES = 64 * 1024 * 1024;

function budgetFor(params: number): number {
  return params * 4 * COPIES + SLACK_BYTES;
}

/** The budget when no model is known: the largest architecture's, with its top. */
export const DEFAULT_WEIGHTS_BUDGET = budgetFor(Math.max(...ARCH_NAMES.map((a) => ARCHITECTURES[a].params.withTop)));

/**
 * The most bytes a weights file (or a tfjs model's shards, or a .keras archive's weights
 * entry) for this model may hold: its own weights, or its architecture's with the ImageNet
 * top when the model is a Keras Application (a with-top file loads into a no-top model),
 * times the copies optimizer state adds, plus slack. Anything larger is not a weights file
 * for it, and is refused before it is read.
 */
export function weightsByteBudget(model: LayersModel | null): number {
  if (!model) return DEFAULT_WEIGHTS_BUDGET;
  const arch = ARCH_NAMES.find((a) => model.name === ARCHITECTURES[a].kerasName || model.name.startsWith(`${ARCHITECTURES[a].kerasName}_`));
  const withTop = arch ? ARCHITECTURES[arch].params.withTop : 0;
  return budgetFor(Math.max(model.countParams(), withTop));
}
