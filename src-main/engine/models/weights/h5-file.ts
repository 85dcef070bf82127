import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Dataset, File as H5File, Group } from 'h5wasm';
import { fileRefusalError, GraftError } from '../../../api/errors';
import { FileRefusal, formatMegabytes, openRegularFile } from '../../../base/regular-file';
import { H5FsGuard, type EmscriptenFs } from './h5-fs-guard';
import type { StoredWeight } from './stored-weights';
import type { WeightRole } from './weight-roles';

/** The h5wasm module as the node entry exports it. */
type H5wasm = typeof import('h5wasm');

let loading: Promise<{ h5: H5wasm; guard: H5FsGuard }> | null = null;
/** Set once h5wasm is loaded; every dataset comes from a file opened after that. */
let loadedGuard: H5FsGuard | null = null;

function loadGuarded(): Promise<{ h5: H5wasm; guard: H5FsGuard }> {
  loading ??= (async () => {
    const mod = (await import('h5wasm/node')) as H5wasm & { default?: H5wasm };
    const h5 = mod.default ?? mod;
    const module = (await h5.ready) as Awaited<H5wasm['ready']> & { FS: EmscriptenFs };
    module.activate_throwing_error_handler();
    loadedGuard = new H5FsGuard(module.FS);
    return { h5, guard: loadedGuard };
  })();
  return loading;
}

/**
 * Loads h5wasm on first use (never at import). HDF5's own error stack is switched to throwing
 * so that a bad file becomes an exception we can word, instead of text dumped on stderr; and
 * HDF5 may open only the files opened through `openH5` or `allowH5File` (see H5FsGuard).
 */
export async function loadH5wasm(): Promise<H5wasm> {
  return (await loadGuarded()).h5;
}

/** Lets HDF5 open `file` (to write it, say) until the returned function is called. */
export async function allowH5File(file: string): Promise<() => void> {
  return (await loadGuarded()).guard.allow(file);
}

const SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

// HDF5 puts its signature at 0 or, after a user block, at 512, 1024, 2048, …
async function hasHdf5Signature(handle: FileHandle, size: number): Promise<boolean> {
  const probe = Buffer.alloc(SIGNATURE.length);
  for (let offset = 0; offset + SIGNATURE.length <= size; offset = offset === 0 ? 512 : offset * 2) {
    await handle.read(probe, 0, SIGNATURE.length, offset);
    if (probe.equals(SIGNATURE)) return true;
  }
  return false;
}

/** The most telling line of an HDF5 error stack (e.g. "File has been truncated"). */
export function hdf5Reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const minors = [...text.matchAll(/minor: (.+)/g)].map((m) => m[1]?.trim() ?? '');
  return minors.at(-1) || text.split('\n')[0] || 'unknown error';
}

/**
 * Opens an HDF5 file for reading, turning every way that can fail into a GraftError. Only a
 * regular file of at most `maxBytes` is opened (a FIFO or a device would block the engine:
 * HDF5 reads synchronously), and HDF5 may open no other file while it is open.
 */
export async function openH5(file: string, label = path.basename(file), maxBytes = Number.MAX_SAFE_INTEGER): Promise<H5File> {
  const absolute = path.resolve(file);
  let isHdf5: boolean;
  try {
    const { handle, size } = await openRegularFile(absolute, { maxBytes, what: 'The weights file' });
    try {
      isHdf5 = await hasHdf5Signature(handle, size);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof FileRefusal) throw weightsFileRefusal(error, absolute, maxBytes);
    throw error;
  }
  if (!isHdf5) {
    throw new GraftError('bad-request', `${label} is not an HDF5 file (.h5), so it cannot hold Keras weights.`);
  }
  const { h5, guard } = await loadGuarded();
  const release = guard.allow(absolute);
  let opened: H5File;
  try {
    opened = new h5.File(absolute, 'r');
  } catch (error) {
    release();
    throw new GraftError('io', `Could not open ${label}: ${hdf5Reason(error)}. The file may be truncated or corrupt.`);
  }
  const close = opened.close.bind(opened);
  opened.close = () => {
    try {
      return close();
    } finally {
      release();
    }
  };
  return opened;
}

/** The GraftError for a weights file refused before reading (missing, not a regular file, larger than the model can take). */
export function weightsFileRefusal(refusal: FileRefusal, file: string, maxBytes: number): GraftError {
  if (refusal.reason === 'missing') return new GraftError('io', `Weights file not found: ${file}`);
  if (refusal.reason === 'too-large') {
    return new GraftError(
      'bad-request',
      `${file} is larger than ${formatMegabytes(maxBytes)}, more than the weights of this model (with a classifier head and optimizer state) take: it is not a weights file for it.`,
    );
  }
  return fileRefusalError(refusal);
}

/**
 * Refuses a dataset whose values live outside the file: a virtual dataset (its sources are
 * other files) or external raw storage (found by reading one element while HDF5 may open no
 * other file). Called before any weight is read.
 */
function checkStoredInside(dataset: Dataset, name: string, shape: number[]): void {
  const sources = dataset.metadata.virtual_sources ?? [];
  if (sources.length > 0) {
    throw new GraftError(
      'bad-request',
      `Weight "${name}" is a virtual dataset assembled from other files (${sources.map((s) => s.file_name).join(', ')}); ` +
        'Graft reads only weights stored inside the weights file itself.',
    );
  }
  if (shape.some((d) => d === 0)) return;
  loadedGuard?.takeRefused();
  try {
    void (shape.length === 0 ? dataset.value : dataset.slice([[0, 1]]));
  } catch (error) {
    throwIfStoredOutside(name);
    throw new GraftError('io', `Could not read ${name}: ${hdf5Reason(error)}. The file may be truncated or corrupt.`);
  }
  throwIfStoredOutside(name);
}

/** Fails with the file a read of `name` tried to reach outside the weights file, if it did. */
function throwIfStoredOutside(name: string): void {
  const refused = loadedGuard?.takeRefused() ?? [];
  if (refused.length > 0) {
    throw new GraftError(
      'bad-request',
      `Weight "${name}" is stored outside the weights file (in ${refused[0]}); Graft reads only weights stored inside the file itself.`,
    );
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
  checkStoredInside(dataset, name, shape);
  return {
    name,
    role,
    shape,
    read: () => {
      loadedGuard?.takeRefused();
      try {
        return readDataset(dataset, shape, name, chunk);
      } catch (error) {
        throwIfStoredOutside(name);
        throw new Error(hdf5Reason(error));
      }
    },
  };
}
