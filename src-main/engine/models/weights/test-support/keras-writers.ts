// Test support: writes weight files in the exact layouts Keras writes, with h5wasm and fflate.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Group } from 'h5wasm';
import { zipSync } from 'fflate';
import { allowH5File, loadH5wasm } from '../h5-file';

/** One array to write. */
export interface ArrayToWrite {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** A Keras 2 layer entry: the group name and its weights with their Keras weight names. */
export interface Keras2Layer {
  name: string;
  weights: ArrayToWrite[];
}

// h5py writes numpy byte-string arrays: fixed-length strings.
function stringListAttr(group: Group, name: string, items: string[]): void {
  const width = Math.max(1, ...items.map((s) => Buffer.byteLength(s)));
  group.create_attribute(name, items, [items.length], `S${width}`);
}

function ensureGroup(parent: Group, groupPath: string): Group {
  let group = parent;
  for (const part of groupPath.split('/').filter(Boolean)) {
    const next = group.get(part);
    group = next && typeof (next as Group).create_group === 'function' ? (next as Group) : group.create_group(part);
  }
  return group;
}

function writeDataset(parent: Group, datasetPath: string, array: ArrayToWrite): void {
  const slash = datasetPath.lastIndexOf('/');
  const group = slash < 0 ? parent : ensureGroup(parent, datasetPath.slice(0, slash));
  group.create_dataset({ name: datasetPath.slice(slash + 1), data: array.values, shape: array.shape, dtype: '<f' });
}

/**
 * Writes Keras 2's `save_weights` layout (or, with fullModel, `model.save`'s, under
 * `/model_weights`). splitLayerNames writes `layer_names0/1` as Keras does past 64 KB.
 */
export async function writeKeras2H5(
  file: string,
  layers: Keras2Layer[],
  options: { fullModel?: boolean; splitLayerNames?: boolean } = {},
): Promise<void> {
  const h5 = await loadH5wasm();
  rmSync(file, { force: true });
  const release = await allowH5File(file);
  const f = new h5.File(file, 'w');
  try {
    let root: Group = f;
    f.create_attribute('keras_version', '2.15.0');
    f.create_attribute('backend', 'tensorflow');
    if (options.fullModel) {
      f.create_attribute('model_config', JSON.stringify({ class_name: 'Functional', config: {} }));
      root = f.create_group('model_weights');
      root.create_attribute('keras_version', '2.15.0');
      root.create_attribute('backend', 'tensorflow');
      f.create_group('optimizer_weights');
    }
    const names = layers.map((l) => l.name);
    if (options.splitLayerNames) {
      const half = Math.ceil(names.length / 2);
      stringListAttr(root, 'layer_names0', names.slice(0, half));
      stringListAttr(root, 'layer_names1', names.slice(half));
    } else {
      stringListAttr(root, 'layer_names', names);
    }
    for (const layer of layers) {
      const group = root.create_group(layer.name);
      stringListAttr(group, 'weight_names', layer.weights.map((w) => w.name));
      for (const w of layer.weights) writeDataset(group, w.name, w);
    }
  } finally {
    f.close();
    release();
  }
}

/** A Keras 3 layer's weights: its container path (`layers/conv2d_1`), recorded name, and vars. */
export interface Keras3Layer {
  path: string;
  /** Keras ≥ 3.6 records it on the vars group; older files don't. */
  name?: string;
  vars: ArrayToWrite[];
}

/** Writes Keras 3's `model.weights.h5` layout (`<path>/vars/0, 1, …`, plus optimizer vars). */
export async function writeKeras3WeightsH5(file: string, layers: Keras3Layer[], modelName = 'functional'): Promise<void> {
  const h5 = await loadH5wasm();
  rmSync(file, { force: true });
  const release = await allowH5File(file);
  const f = new h5.File(file, 'w');
  try {
    f.create_group('vars').create_attribute('name', modelName);
    for (const layer of layers) {
      const vars = ensureGroup(f, `${layer.path}/vars`);
      if (layer.name) vars.create_attribute('name', layer.name);
      layer.vars.forEach((v, i) => writeDataset(vars, String(i), v));
    }
    const opt = ensureGroup(f, 'optimizer/vars');
    writeDataset(opt, '0', { name: 'iterations', shape: [], values: Float32Array.of(10) });
  } finally {
    f.close();
    release();
  }
}

/** Writes a `.keras` zip: metadata.json, config.json and model.weights.h5 (read from weightsH5). */
export function writeKerasArchive(file: string, config: unknown, weightsH5: string): void {
  const encode = (value: unknown): Uint8Array => new Uint8Array(Buffer.from(JSON.stringify(value)));
  const zip = zipSync({
    'metadata.json': encode({ keras_version: '3.8.0', date_saved: '2025-01-01@00:00:00' }),
    'config.json': encode(config),
    'model.weights.h5': new Uint8Array(readFileSync(weightsH5)),
  });
  writeFileSync(file, zip);
}
