import type { LayersModel } from '@tensorflow/tfjs';
import { formatShape, type StoredLayer, type StoredWeight } from './stored-weights';
import { weightRole } from './weight-roles';

/** A layer of a tfjs model (the element type of `model.layers`). */
export type ModelLayer = LayersModel['layers'][number];

/** A model layer paired with the stored weights that go into it, in `layer.weights` order. */
export interface LayerMatch {
  layer: ModelLayer;
  stored: StoredLayer;
  ordered: StoredWeight[];
}

/** Why a stored layer does not fit a model layer; `count` problems mean a different structure. */
export interface LayerProblem {
  layer: string;
  kind: 'count' | 'shape';
  message: string;
}

/**
 * The model's layers that own weights, in model order, looking through nested models —
 * the same list Keras's loaders walk.
 */
export function weightedLayers(model: LayersModel): ModelLayer[] {
  const found: ModelLayer[] = [];
  const visit = (layers: ModelLayer[]): void => {
    for (const layer of layers) {
      const nested = (layer as { layers?: unknown }).layers;
      if (Array.isArray(nested)) visit(nested as ModelLayer[]);
      else if (layer.weights.length > 0) found.push(layer);
    }
  };
  visit(model.layers);
  return found;
}

function describe(name: string, shape: readonly (number | null)[]): string {
  return `${name} ${formatShape(shape)}`;
}

/**
 * Pairs a model layer's weights with a stored layer's, by role (kernel, bias, gamma, …) when
 * both sides name them unambiguously, else by position (Keras 3 stores unnamed vars in
 * creation order, which is also tfjs's order), then checks every shape.
 */
export function matchLayer(layer: ModelLayer, stored: StoredLayer): LayerMatch | LayerProblem {
  const wanted = layer.weights;
  const have = stored.weights;
  const wantedRoles = wanted.map((w) => weightRole(w.originalName));
  const label = (i: number): string => wantedRoles[i] ?? wanted[i]?.originalName ?? `#${i}`;
  if (wanted.length !== have.length) {
    const list = (items: string[]): string => items.join(', ');
    return {
      layer: layer.name,
      kind: 'count',
      message:
        `layer "${layer.name}" expects ${wanted.length} weights ` +
        `(${list(wanted.map((w, i) => describe(label(i), w.shape)))}), the file has ${have.length} ` +
        `(${list(have.map((w) => describe(w.role ?? w.name, w.shape)))})`,
    };
  }
  const ordered = pairByRole(wantedRoles, have) ?? have;
  for (let i = 0; i < wanted.length; i += 1) {
    const expected = wanted[i]?.shape ?? [];
    const found = ordered[i]?.shape ?? [];
    const same = expected.length === found.length && expected.every((d, k) => d === found[k]);
    if (!same) {
      return {
        layer: layer.name,
        kind: 'shape',
        message:
          `layer "${layer.name}" weight ${label(i)} expects shape ${formatShape(expected)}, ` +
          `the file has ${formatShape(found)}`,
      };
    }
  }
  return { layer, stored, ordered };
}

function pairByRole(wantedRoles: (string | null)[], have: StoredWeight[]): StoredWeight[] | null {
  const haveRoles = have.map((w) => w.role);
  const unique = (roles: (string | null)[]): boolean =>
    roles.every((r) => r !== null) && new Set(roles).size === roles.length;
  if (!unique(wantedRoles) || !unique(haveRoles)) return null;
  const byRole = new Map(have.map((w) => [w.role, w]));
  const ordered = wantedRoles.map((role) => byRole.get(role as StoredWeight['role']));
  return ordered.every((w) => w !== undefined) ? (ordered as StoredWeight[]) : null;
}

/** Type guard telling a successful match from a problem. */
export function isProblem(result: LayerMatch | LayerProblem): result is LayerProblem {
  return 'kind' in result;
}
