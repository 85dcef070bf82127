import type { LayersModel } from '@tensorflow/tfjs';
import type { Group } from 'h5wasm';
import { GraftError } from '../../../api/errors';
import { childGroup, datasetWeight, isDataset, readStringAttr } from './h5-file';
import type { StoredLayer, StoredWeight } from './stored-weights';
import type { WeightRole } from './weight-roles';

/** A layer entry of a Keras `config.json`, reduced to what the weights layout depends on. */
export interface KerasLayerConfig {
  class_name: string;
  name?: string;
  config?: {
    name?: string;
    layers?: KerasLayerConfig[];
    use_bias?: boolean;
    center?: boolean;
    scale?: boolean;
  };
}

/** Keras's `naming.to_snake_case`: `BatchNormalization` → `batch_normalization`, `ReLU` → `re_lu`. */
export function kerasSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** The Keras-shaped layer list of a tfjs model, for Keras 3 files that carry no config. */
export function modelLayerConfigs(model: LayersModel): KerasLayerConfig[] {
  return model.layers.map((layer) => {
    const nested = (layer as { layers?: unknown }).layers;
    const className = layer.getClassName();
    return {
      class_name: className === 'Model' ? 'Functional' : className,
      config: {
        name: layer.name,
        layers: Array.isArray(nested) ? modelLayerConfigs(layer as unknown as LayersModel) : undefined,
      },
    };
  });
}

// Keras 3 stores a layer's variables as 0, 1, … in creation order; name them from the class
// so messages and role matching can say "gamma" rather than "0".
function varRoles(entry: KerasLayerConfig, count: number): (WeightRole | null)[] {
  const c = entry.config ?? {};
  const bias: WeightRole[] = c.use_bias === false ? [] : ['bias'];
  let roles: WeightRole[] | null = null;
  switch (entry.class_name) {
    case 'Conv1D': case 'Conv2D': case 'Conv3D': case 'Conv2DTranspose': case 'Dense':
      roles = ['kernel', ...bias];
      break;
    case 'DepthwiseConv2D':
      roles = ['depthwise_kernel', ...bias];
      break;
    case 'SeparableConv2D':
      roles = ['depthwise_kernel', 'pointwise_kernel', ...bias];
      break;
    case 'BatchNormalization':
      roles = [
        ...(c.scale === false ? [] : (['gamma'] as WeightRole[])),
        ...(c.center === false ? [] : (['beta'] as WeightRole[])),
        'moving_mean',
        'moving_variance',
      ];
      break;
  }
  return roles && roles.length === count ? roles : new Array<null>(count).fill(null);
}

function readVars(layerGroup: Group, layerName: string, entry: KerasLayerConfig | null): StoredWeight[] {
  const vars = childGroup(layerGroup, 'vars');
  if (!vars) return [];
  const keys = vars.keys().filter((k) => /^\d+$/.test(k)).sort((a, b) => Number(a) - Number(b));
  const roles = entry ? varRoles(entry, keys.length) : [];
  return keys.map((key, i) => {
    const dataset = vars.get(key);
    if (!isDataset(dataset)) throw new GraftError('io', `Variable ${key} of layer "${layerName}" is not an array.`);
    return datasetWeight(dataset, `${layerName}/vars/${key}`, roles[i] ?? null);
  });
}

function layerNameOf(layerGroup: Group, entry: KerasLayerConfig | null, fallback: string): string {
  const vars = childGroup(layerGroup, 'vars');
  // Keras ≥ 3.6 records the layer's own name on its vars group.
  const recorded = vars ? readStringAttr(vars, 'name') : null;
  return recorded ?? entry?.config?.name ?? entry?.name ?? fallback;
}

function walk(container: Group, entries: KerasLayerConfig[], out: StoredLayer[]): void {
  // Keras addresses layers by class, not by name: conv2d, conv2d_1, … in `model.layers` order.
  const used = new Map<string, number>();
  for (const entry of entries) {
    const base = kerasSnakeCase(entry.class_name);
    const seen = used.get(base);
    used.set(base, seen === undefined ? 0 : seen + 1);
    const key = seen === undefined ? base : `${base}_${seen + 1}`;
    const group = childGroup(container, key);
    if (!group) continue;
    const nested = entry.config?.layers;
    if (Array.isArray(nested)) {
      const inner = childGroup(group, 'layers');
      if (inner) walk(inner, nested, out);
      continue;
    }
    const name = layerNameOf(group, entry, key);
    out.push({ name, weights: readVars(group, name, entry) });
  }
}

/**
 * Reads the Keras 3 weights layout (`layers/<class>[_n]/vars/<i>`, nested models under their
 * own `layers/`). Layer names come from the vars' `name` attribute when Keras recorded it,
 * else from the model config that walks the file in Keras's own order.
 */
export function readKeras3Layout(root: Group, config: KerasLayerConfig[] | null): StoredLayer[] {
  const container = childGroup(root, 'layers') ?? childGroup(root, '_layer_checkpoint_dependencies');
  if (!container) throw new GraftError('bad-request', 'The Keras 3 weights file has no "layers" group.');
  const out: StoredLayer[] = [];
  if (config) {
    walk(container, config, out);
    return out;
  }
  // No config: only the recorded names can say which layer is which.
  for (const key of container.keys()) {
    const group = childGroup(container, key);
    const vars = group ? childGroup(group, 'vars') : null;
    const name = vars ? readStringAttr(vars, 'name') : null;
    if (!group || !vars) continue;
    if (!name) {
      throw new GraftError(
        'bad-request',
        'This Keras 3 weights file does not record layer names; load the .keras file it came with instead.',
      );
    }
    out.push({ name, weights: readVars(group, name, null) });
  }
  return out;
}
