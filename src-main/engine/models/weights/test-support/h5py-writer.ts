// Test support: HDF5 files h5wasm cannot write (external raw storage, virtual datasets), made
// with Debian's python3-h5py when it is installed.
import { spawnSync } from 'node:child_process';

/** A Python with h5py, or null (tests that need one skip with this reason). */
export function findH5py(): string | null {
  for (const python of ['python3', '/usr/bin/python3']) {
    if (spawnSync(python, ['-c', 'import h5py'], { stdio: 'ignore' }).status === 0) return python;
  }
  return null;
}

/** Why tests that need h5py skip. */
export const NO_H5PY = 'needs python3-h5py (apt-get install -y python3-h5py) to write external and virtual HDF5 datasets';

/** How one dataset of the written layer stores its values. */
export type DatasetStorage =
  | { kind: 'inline'; values: number[] }
  | { kind: 'external'; file: string; count: number }
  | { kind: 'virtual'; sourceFile: string; count: number };

const SCRIPT = `
import json, sys, h5py, numpy as np
spec = json.loads(sys.argv[1])
with h5py.File(spec['file'], 'w') as f:
    f.attrs['layer_names'] = np.array([spec['layer'].encode()])
    group = f.create_group(spec['layer'])
    group.attrs['weight_names'] = np.array([w['name'].encode() for w in spec['weights']])
    for w in spec['weights']:
        s = w['storage']
        if s['kind'] == 'inline':
            group.create_dataset(w['name'], data=np.array(s['values'], dtype='<f4'))
        elif s['kind'] == 'external':
            group.create_dataset(w['name'], shape=(s['count'],), dtype='<f4', external=[(s['file'], 0, 4 * s['count'])])
        else:
            layout = h5py.VirtualLayout(shape=(s['count'],), dtype='<f4')
            layout[:] = h5py.VirtualSource(s['sourceFile'], 'x', shape=(s['count'],))
            group.create_virtual_dataset(w['name'], layout, fillvalue=0)
`;

/** Writes a Keras 2 weights file with one layer whose datasets are stored as given. */
export function writeKeras2H5WithStorage(
  python: string,
  file: string,
  layer: string,
  weights: { name: string; storage: DatasetStorage }[],
): void {
  const run = spawnSync(python, ['-c', SCRIPT, JSON.stringify({ file, layer, weights })], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`h5py failed: ${run.stderr}`);
}
