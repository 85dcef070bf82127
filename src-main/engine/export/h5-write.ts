import { rm } from 'node:fs/promises';
import type { File as H5File, Group } from 'h5wasm';
import { GraftError } from '../../api/errors';
import { allowH5File, hdf5Reason, loadH5wasm } from '../models/weights/h5-file';

/**
 * HDF5 keeps an attribute inside its object's header, which holds at most 64 KB; Keras splits
 * string lists longer than this into `name0`, `name1`, … (same limit as Keras's constant).
 */
export const HDF5_ATTRIBUTE_LIMIT = 64512;

/** Elements per write: wasm memory never shrinks, so a large array goes in slices of this size. */
const WRITE_CHUNK = 4 * 1024 * 1024;

/**
 * Creates `file` (replacing it) with h5wasm, lets `fill` write into it and closes it. HDF5
 * may open only this file meanwhile (see H5FsGuard). On failure the file is removed.
 */
export async function writeH5File(file: string, fill: (root: H5File) => void | Promise<void>): Promise<void> {
  const h5 = await loadH5wasm();
  await rm(file, { force: true });
  const release = await allowH5File(file);
  try {
    let opened: H5File;
    try {
      opened = new h5.File(file, 'w');
    } catch (error) {
      throw new GraftError('io', `Could not create ${file}: ${hdf5Reason(error)}.`);
    }
    let open = true;
    try {
      await fill(opened);
      open = false;
      opened.close();
    } finally {
      if (open) {
        try {
          opened.close();
        } catch {
          // Already failing: the file is removed below.
        }
      }
    }
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  } finally {
    release();
  }
}

/** A group below `parent`, made with its missing ancestors (`a/b/c`). */
export function ensureGroup(parent: Group, groupPath: string): Group {
  let group = parent;
  for (const part of groupPath.split('/').filter(Boolean)) {
    const existing = group.get(part);
    group = existing && typeof (existing as Group).create_group === 'function' ? (existing as Group) : group.create_group(part);
  }
  return group;
}

/**
 * Writes a float32 array as `name` (which may contain `/`: intermediate groups are made, as
 * h5py does for Keras 2's `layer/kernel:0`). Small arrays are stored contiguously like h5py
 * stores them; large ones as a chunked dataset written slice by slice, so the wasm heap stays
 * near WRITE_CHUNK elements however large the weight.
 */
export function writeFloat32(parent: Group, name: string, shape: readonly number[], values: Float32Array): void {
  const slash = name.lastIndexOf('/');
  const group = slash < 0 ? parent : ensureGroup(parent, name.slice(0, slash));
  const leaf = name.slice(slash + 1);
  const total = shape.reduce((a, b) => a * b, 1);
  if (values.length !== total) throw new GraftError('internal', `${name} has ${values.length} values for shape [${shape.join(', ')}].`);
  const rows = shape[0] ?? 1;
  if (total <= WRITE_CHUNK || shape.length === 0 || rows < 2) {
    group.create_dataset({ name: leaf, data: values, shape: [...shape], dtype: '<f' });
    return;
  }
  const rowSize = total / rows;
  const step = Math.max(1, Math.min(rows, Math.floor(WRITE_CHUNK / rowSize)));
  const rest = shape.slice(1);
  const dataset = group.create_dataset({
    name: leaf,
    data: new Float32Array(0),
    shape: [0, ...rest],
    maxshape: [rows, ...rest],
    chunks: [step, ...rest],
    dtype: '<f',
  });
  dataset.resize([...shape]);
  for (let row = 0; row < rows; row += step) {
    const end = Math.min(rows, row + step);
    dataset.write_slice([[row, end]], values.subarray(row * rowSize, end * rowSize));
  }
}

/** A string attribute (variable-length, as h5py writes a Python `str` or `bytes`). */
export function writeStringAttr(target: Group, name: string, value: string): void {
  target.create_attribute(name, value);
}

/**
 * A list of strings as Keras stores `layer_names` / `weight_names`: a fixed-length byte-string
 * array (numpy `S<n>`), split into `name0`, `name1`, … when it would pass HDF5's attribute
 * limit, chunked as numpy's `array_split` does. An empty list is an empty float64 array, which
 * is what h5py makes of Keras's `[]`.
 */
export function writeStringListAttr(target: Group, name: string, items: readonly string[]): void {
  if (items.length === 0) {
    target.create_attribute(name, new Float64Array(0), [0], '<d');
    return;
  }
  const width = Math.max(1, ...items.map((s) => Buffer.byteLength(s, 'utf8')));
  let parts = 1;
  while (Math.ceil(items.length / parts) * width > HDF5_ATTRIBUTE_LIMIT) parts += 1;
  if (parts === 1) {
    target.create_attribute(name, [...items], [items.length], `S${width}`);
    return;
  }
  // array_split: the first (n mod parts) pieces get one item more.
  const base = Math.floor(items.length / parts);
  const extra = items.length % parts;
  let start = 0;
  for (let i = 0; i < parts; i += 1) {
    const size = base + (i < extra ? 1 : 0);
    target.create_attribute(`${name}${i}`, items.slice(start, start + size), [size], `S${width}`);
    start += size;
  }
}
