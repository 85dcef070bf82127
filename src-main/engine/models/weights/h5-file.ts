import { open as openFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Dataset, File as H5File, Group } from 'h5wasm';
import { GraftError } from '../../../api/errors';
import type { StoredWeight } from './stored-weights';
import type { WeightRole } from './weight-roles';

/** The h5wasm module as the node entry exports it. */
type H5wasm = typeof import('h5wasm');

let loading: Promise<H5wasm> | null = null;

/**
 * Loads h5wasm on first use (never at import). HDF5's own error stack is switched to throwing
 * so that a bad file becomes an exception we can word, instead of text dumped on stderr.
 */
export function loadH5wasm(): Promise<H5wasm> {
  loading ??= (async () => {
    const mod = (await import('h5wasm/node')) as H5wasm & { default?: H5wasm };
    const h5 = mod.default ?? mod;
    const module = await h5.ready;
    module.activate_throwing_error_handler();
    return h5;
  })();
  return loading;
}

const SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

// HDF5 puts its signature at 0 or, after a user block, at 512, 1024, 2048, …
async function hasHdf5Signature(file: string, size: number): Promise<boolean> {
  const handle = await openFile(file, 'r');
  try {
    const probe = Buffer.alloc(SIGNATURE.length);
    for (let offset = 0; offset + SIGNATURE.length <= size; offset = offset === 0 ? 512 : offset * 2) {
      await handle.read(probe, 0, SIGNATURE.length, offset);
      if (probe.equals(SIGNATURE)) return true;
    }
    return false;
  } finally {
    await handle.close();
  }
}

/** The most telling line of an HDF5 error stack (e.g. "File has been truncated"). */
export function hdf5Reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const minors = [...text.matchAll(/minor: (.+)/g)].map((m) => m[1]?.trim() ?? '');
  return minors.at(-1) || text.split('\n')[0] || 'unknown error';
}

/** Opens an HDF5 file for reading, turning every way that can fail into a GraftError. */
export async function openH5(file: string, label = path.basename(file)): Promise<H5File> {
  const absolute = path.resolve(file);
  let size: number;
  try {
    size = (await stat(absolute)).size;
  } catch {
    throw new GraftError('io', `Weights file not found: ${absolute}`);
  }
  if (!(await hasHdf5Signature(absolute, size))) {
    throw new GraftError('bad-request', `${label} is not an HDF5 file (.h5), so it cannot hold Keras weights.`);
  }
  const h5 = await loadH5wasm();
  try {
    return new h5.File(absolute, 'r');
  } catch (error) {
    throw new GraftError('io', `Could not open ${label}: ${hdf5Reason(error)}. The file may be truncated or corrupt.`);
  }
}

/** True when the entity is an h5wasm Group (File included). */
export function isGroup(entity: unknown): entity is Group {
  return entity !== null && typeof entity === 'object' && typeof (entity as Group).keys === 'function'
    && typeof (entity as Group).create_group === 'function';
}

/** True when the entity is an h5wasm Dataset. */
export function isDataset(entity: unknown): entity is Dataset {
  return entity !== null && typeof entity === 'object' && 'shape' in entity && typeof (entity as Dataset).slice === 'function';
}

/** A child group, or null when absent or not a group. */
export function childGroup(parent: Group, name: string): Group | null {
  const entity = parent.get(name);
  return isGroup(entity) ? entity : null;
}

/**
 * A string-list attribute as Keras writes it: whole, or split into `name0`, `name1`, … when
 * it outgrew HDF5's 64 KB attribute limit. Null when absent.
 */
export function readStringList(entity: Group, name: string): string[] | null {
  const attrs = entity.attrs;
  const parts = [attrs[name]];
  for (let i = 0; attrs[`${name}${i}`]; i += 1) parts.push(attrs[`${name}${i}`]);
  if (!parts.some(Boolean)) return null;
  const out: string[] = [];
  for (const part of parts) {
    const value = part?.value;
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      if (typeof item === 'string') out.push(item);
      else if (item instanceof Uint8Array) out.push(Buffer.from(item).toString('utf8'));
    }
  }
  return out;
}

/** A string attribute, or null. */
export function readStringAttr(entity: Group, name: string): string | null {
  const value = entity.attrs[name]?.value;
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return null;
}

function toFloat32(value: unknown, where: string): Float32Array {
  if (value instanceof Float32Array) return value;
  if (typeof value === 'number') return Float32Array.of(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array)
    && !(value instanceof BigUint64Array)) {
    return Float32Array.from(value as unknown as ArrayLike<number>);
  }
  throw new Error(`${where} is not a numeric array`);
}

// Elements per read. wasm memory never shrinks, so reading VGG16's 411 MB fc1 kernel whole
// would leave the engine with that much heap for good; slices keep it near 16 MB.
const READ_CHUNK = 4 * 1024 * 1024;

function readDataset(dataset: Dataset, shape: number[], name: string, chunk: number): Float32Array {
  const total = shape.reduce((a, b) => a * b, 1);
  const rows = shape[0] ?? 1;
  if (total <= chunk || shape.length === 0 || rows < 2) return toFloat32(dataset.value, name);
  const rowSize = total / rows;
  const step = Math.max(1, Math.floor(chunk / rowSize));
  const out = new Float32Array(total);
  for (let row = 0; row < rows; row += step) {
    out.set(toFloat32(dataset.slice([[row, Math.min(row + step, rows)]]), name), row * rowSize);
  }
  return out;
}

/** A stored weight backed by an HDF5 dataset, read only when asked (in slices when large). */
export function datasetWeight(
  dataset: Dataset,
  name: string,
  role: WeightRole | null,
  chunk = READ_CHUNK,
): StoredWeight {
  let shape: number[];
  try {
    shape = dataset.shape ?? [];
  } catch (error) {
    throw new GraftError('io', `Could not read the shape of ${name}: ${hdf5Reason(error)}.`);
  }
  return {
    name,
    role,
    shape,
    read: () => {
      try {
        return readDataset(dataset, shape, name, chunk);
      } catch (error) {
        throw new Error(hdf5Reason(error));
      }
    },
  };
}
