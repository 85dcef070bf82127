import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetWeight, isDataset, openH5, readStringList } from '../models/weights/h5-file';
import { seededValues } from '../models/weights/test-support/tiny-models';
import { ensureGroup, HDF5_ATTRIBUTE_LIMIT, writeFloat32, writeH5File, writeStringAttr, writeStringListAttr } from './h5-write';
import { sha256Of } from './test-support/export-models';
import { h5pyPython, runPython } from './test-support/python-h5py';

const h5py = h5pyPython();
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'graft-h5-write-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Reads string lists the way Keras's legacy loader does: whole, or from name0, name1, … in turn.
const KERAS_STYLE_LISTS = `
import h5py, hashlib, numpy as np
f = h5py.File(data['file'], 'r')
def strings(group, name):
    if name in group.attrs:
        return [v.decode('utf8') if isinstance(v, bytes) else v for v in group.attrs[name]]
    out, i = [], 0
    while f'{name}{i}' in group.attrs:
        out += [v.decode('utf8') for v in group.attrs[f'{name}{i}']]
        i += 1
    return out
g = f['lists']
big = f['weights/big']
small = f['weights/small']
print(json.dumps({
  'attrs': {k: {'dtype': g.attrs[k].dtype.str, 'length': len(g.attrs[k])} for k in g.attrs},
  'names': strings(g, 'names'), 'empty': strings(g, 'empty'), 'title': f.attrs['title'],
  'big': {'shape': list(big.shape), 'chunked': big.chunks is not None, 'sha256': hashlib.sha256(np.asarray(big[()], '<f4').tobytes()).hexdigest()},
  'small': {'shape': list(small.shape), 'chunked': small.chunks is not None, 'dtype': small.dtype.str},
}))
`;

describe('HDF5 writing for Keras files', () => {
  const names = Array.from({ length: 1401 }, (_, i) => `layer_${String(i).padStart(4, '0')}_${'x'.repeat(50)}`);
  // 4.3 M elements: over the slice size, so written chunk by chunk.
  const big = seededValues(2100 * 2048, 3);
  const small = seededValues(3 * 3 * 4 * 8, 4);
  let file: string;
  beforeAll(async () => {
    file = path.join(dir, 'lists.h5');
    await writeH5File(file, (root) => {
      writeStringAttr(root, 'title', 'ünïcode title');
      const lists = root.create_group('lists');
      writeStringListAttr(lists, 'names', names);
      writeStringListAttr(lists, 'empty', []);
      const weights = ensureGroup(root, 'weights');
      writeFloat32(weights, 'big', [2100, 2048], big);
      writeFloat32(weights, 'nested/deeper/small', [3, 3, 4, 8], small);
      writeFloat32(weights, 'small', [3, 3, 4, 8], small);
    });
  });

  it('splits a string list past 64 KB as Keras does, and our reader joins it again', async () => {
    const h5 = await openH5(file);
    try {
      const lists = h5.get('lists') as Parameters<typeof readStringList>[0];
      expect(readStringList(lists, 'names')).toEqual(names);
      expect(readStringList(lists, 'empty')).toEqual([]);
      const nested = h5.get('weights/nested/deeper/small');
      expect(isDataset(nested)).toBe(true);
      if (isDataset(nested)) expect(datasetWeight(nested, 'small', null).read()).toEqual(small);
      const chunked = h5.get('weights/big');
      expect(isDataset(chunked)).toBe(true);
      if (isDataset(chunked)) expect(sha256Of(datasetWeight(chunked, 'big', null).read())).toBe(sha256Of(big));
    } finally {
      h5.close();
    }
  });

  it.skipIf(!h5py.python)(`reads back in h5py as Keras reads it (${h5py.reason})`, () => {
    const out = runPython<{
      attrs: Record<string, { dtype: string; length: number }>;
      names: string[];
      empty: string[];
      title: string;
      big: { shape: number[]; chunked: boolean; sha256: string };
      small: { shape: number[]; chunked: boolean; dtype: string };
    }>(h5py.python as string, KERAS_STYLE_LISTS, { file });
    const width = Math.max(...names.map((n) => n.length));
    expect(out.attrs).toEqual({
      // numpy's array_split of 1401 items in two: 701 then 700.
      names0: { dtype: `|S${width}`, length: 701 },
      names1: { dtype: `|S${width}`, length: 700 },
      empty: { dtype: '<f8', length: 0 },
    });
    expect(701 * width).toBeLessThanOrEqual(HDF5_ATTRIBUTE_LIMIT);
    expect(out.names).toEqual(names);
    expect(out.empty).toEqual([]);
    expect(out.title).toBe('ünïcode title');
    expect(out.big).toEqual({ shape: [2100, 2048], chunked: true, sha256: sha256Of(big) });
    expect(out.small).toEqual({ shape: [3, 3, 4, 8], chunked: false, dtype: '<f4' });
  });

  it('leaves no file behind when writing fails', async () => {
    const failed = path.join(dir, 'failed.h5');
    await expect(writeH5File(failed, (root) => {
      writeStringAttr(root, 'x', 'y');
      throw new Error('disk full');
    })).rejects.toThrow('disk full');
    expect(existsSync(failed)).toBe(false);
  });
});
