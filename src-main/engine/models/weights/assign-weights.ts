import type { LayersModel } from '@tensorflow/tfjs';
import { GraftError } from '../../../api/errors';
import type { Tf } from '../../backend';
import { alignNames } from '../keras-names';
import {
  isProblem,
  matchLayer,
  weightedLayers,
  type LayerMatch,
  type LayerProblem,
  type ModelLayer,
} from './match-layers';
import { shapeSize, type StoredLayer, type StoredWeights } from './stored-weights';

/** How to pair the file's layers with the model's (Keras's `by_name` and `skip_mismatch`). */
export interface AssignOptions {
  /**
   * true: by layer name only; model layers the file lacks keep their values (Keras `by_name`).
   * false: by topological order only (Keras's default for `.h5`).
   * undefined: by name when every layer is found, else by order with shape checks.
   */
  byName?: boolean;
  /** Skip layers whose weights don't fit instead of failing (reported in `skipped`). */
  skipMismatch?: boolean;
}

/** What a load did; plain data so it can cross to the UI. */
export interface LoadReport {
  source: string;
  format: StoredWeights['format'];
  mode: 'by-name' | 'topological';
  /** Model layers that received weights. */
  loaded: string[];
  /** Layers left as they were because their weights did not fit (only with skipMismatch). */
  skipped: { layer: string; reason: string }[];
  /** Model layers with weights that the file has nothing for (only with byName: true). */
  missing: string[];
  /** File layers with weights that went nowhere (e.g. a classifier head the model lacks). */
  unused: string[];
}

interface Plan {
  mode: LoadReport['mode'];
  matches: LayerMatch[];
  problems: LayerProblem[];
  missing: string[];
  unused: string[];
}

function lastPart(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

/** By name; `aliases` maps a model layer name to the file's name for it (renumbered layers). */
function planByName(layers: ModelLayer[], stored: StoredLayer[], aliases?: Map<string, string>): Plan {
  const byName = new Map<string, StoredLayer>();
  // Nested or tfjs-scoped names (`model/conv1`) also answer to their last part.
  for (const s of stored) byName.set(lastPart(s.name), s);
  for (const s of stored) byName.set(s.name, s);
  const plan: Plan = { mode: 'by-name', matches: [], problems: [], missing: [], unused: [] };
  const used = new Set<StoredLayer>();
  for (const layer of layers) {
    const s = byName.get(aliases ? (aliases.get(layer.name) ?? '\0') : layer.name);
    if (!s) {
      plan.missing.push(layer.name);
      continue;
    }
    used.add(s);
    const result = matchLayer(layer, s);
    if (isProblem(result)) plan.problems.push(result);
    else plan.matches.push(result);
  }
  plan.unused = stored.filter((s) => s.weights.length > 0 && !used.has(s)).map((s) => s.name);
  return plan;
}

function planTopological(layers: ModelLayer[], stored: StoredLayer[]): Plan {
  const withWeights = stored.filter((s) => s.weights.length > 0);
  const plan: Plan = { mode: 'topological', matches: [], problems: [], missing: [], unused: [] };
  if (withWeights.length < layers.length) {
    plan.problems.push({
      layer: '',
      kind: 'count',
      message: `the model has ${layers.length} layers with weights, the file has ${withWeights.length}`,
    });
    return plan;
  }
  layers.forEach((layer, i) => {
    const result = matchLayer(layer, withWeights[i] as StoredLayer);
    if (isProblem(result)) plan.problems.push(result);
    else plan.matches.push(result);
  });
  // Extra layers may only trail (a classifier head the model was built without).
  plan.unused = withWeights.slice(layers.length).map((s) => s.name);
  return plan;
}

function choosePlan(layers: ModelLayer[], stored: StoredWeights, options: AssignOptions): Plan {
  if (options.byName === true) return checked(planByName(layers, stored.layers), stored, options);
  if (options.byName === false) return checked(planTopological(layers, stored.layers), stored, options);
  const named = planByName(layers, stored.layers);
  if (named.missing.length === 0 && (named.problems.length === 0 || options.skipMismatch)) {
    return checked(named, stored, options);
  }
  // Automatic names numbered differently (Keras 2 `conv2d_1…` vs Keras 3 `conv2d, conv2d_1…`):
  // pair them by rank within each prefix.
  const aliases = alignNames(layers.map((l) => l.name), stored.layers.map((s) => lastPart(s.name)));
  const aligned = planByName(layers, stored.layers, aliases);
  if (aligned.missing.length === 0 && aligned.problems.length === 0) return aligned;
  // Still no fit: try the order, as Keras's default loader does.
  const ordered = planTopological(layers, stored.layers);
  if (ordered.problems.length === 0) return ordered;
  // Nothing fits. Every name found: the shapes are the story. Names missing: they are (another
  // architecture, or a file with/without the top), and the order's first misfit goes in details.
  if (named.missing.length === 0) throw mismatchError(named.problems, stored);
  throw missingError({ ...named, problems: [...named.problems, ...ordered.problems] }, stored);
}

function checked(plan: Plan, stored: StoredWeights, options: AssignOptions): Plan {
  // A structural difference (different number of layers) cannot be skipped layer by layer.
  const fatal = plan.problems.filter((p) => p.kind === 'count' && p.layer === '');
  if (fatal.length > 0 || (plan.problems.length > 0 && !options.skipMismatch)) {
    throw mismatchError(plan.problems, stored);
  }
  // Loading nothing at all is never what the user meant, even with byName.
  if (plan.matches.length === 0 && plan.missing.length > 0) throw missingError(plan, stored);
  return plan;
}

function missingError(plan: Plan, stored: StoredWeights): GraftError {
  const shown = plan.missing.slice(0, 5).join(', ');
  const more = plan.missing.length > 5 ? `, … ${plan.missing.length - 5} more` : '';
  return new GraftError(
    'bad-request',
    `The weights in ${stored.source} do not fit this model: the file has nothing for layers ` +
      `${shown}${more}. Is it for another architecture, or saved with/without the classifier top?`,
    { missing: plan.missing, problems: plan.problems.map((p) => p.message) },
  );
}

function mismatchError(problems: LayerProblem[], stored: StoredWeights): GraftError {
  const first = problems[0]?.message ?? 'unknown mismatch';
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more mismatched layers)` : '';
  return new GraftError(
    'bad-request',
    `The weights in ${stored.source} do not fit this model: ${first}${more}.`,
    { problems: problems.map((p) => p.message) },
  );
}

function readChecked(match: LayerMatch, index: number, source: string): Float32Array {
  const weight = match.ordered[index];
  if (!weight) throw new GraftError('io', `No weight #${index} for layer "${match.layer.name}" in ${source}.`);
  let values: Float32Array;
  try {
    values = weight.read();
  } catch (error) {
    // Already worded (a weight stored outside its file): keep its message.
    if (error instanceof GraftError) throw error;
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new GraftError(
      'io',
      `Could not read weight "${weight.name}" of layer "${match.layer.name}" from ${source}: ${why}. ` +
        'The file may be truncated or corrupt.',
    );
  }
  if (values.length !== shapeSize(weight.shape)) {
    throw new GraftError(
      'io',
      `Weight "${weight.name}" of layer "${match.layer.name}" in ${source} holds ${values.length} values, ` +
        `its shape needs ${shapeSize(weight.shape)}. The file may be truncated or corrupt.`,
    );
  }
  return values;
}

/**
 * Copies stored weights into a model: plans every layer first (so a mismatch leaves the model
 * untouched), then reads and assigns one layer at a time to keep memory flat.
 */
export function assignWeights(
  tf: Tf,
  model: LayersModel,
  stored: StoredWeights,
  options: AssignOptions = {},
): LoadReport {
  const layers = weightedLayers(model);
  const plan = choosePlan(layers, stored, options);
  for (const match of plan.matches) {
    const tensors = match.layer.weights.map((w, i) =>
      tf.tensor(readChecked(match, i, stored.source), w.shape as number[], w.dtype),
    );
    try {
      match.layer.setWeights(tensors);
    } finally {
      for (const t of tensors) t.dispose();
    }
  }
  return {
    source: stored.source,
    format: stored.format,
    mode: plan.mode,
    loaded: plan.matches.map((m) => m.layer.name),
    skipped: plan.problems.map((p) => ({ layer: p.layer, reason: p.message })),
    missing: plan.missing,
    unused: plan.unused,
  };
}
