// Test support: reads the files the Keras writers make with Debian's python3-h5py (and Python's
// zipfile), independently of h5wasm, and tells whether a real Keras is importable.
import { spawnSync } from 'node:child_process';

// Debian's python3-h5py lives under /usr/bin/python3, which a pyenv `python3` on PATH may hide.
const CANDIDATES = ['/usr/bin/python3', 'python3'];

/** A Python that imports `module`, or null with the reason none did. */
function findPython(module: string, install: string): { python: string | null; reason: string } {
  const tried: string[] = [];
  for (const python of CANDIDATES) {
    const probe = spawnSync(python, ['-c', `import ${module}, sys; sys.stdout.write(${module}.__version__)`], { encoding: 'utf8', timeout: 120_000 });
    if (probe.status === 0) return { python, reason: `${module} ${probe.stdout.trim()} (${python})` };
    tried.push(`${python}: ${probe.error?.message ?? probe.stderr.trim().split('\n').at(-1) ?? 'failed'}`);
  }
  return { python: null, reason: `${module} is not importable (${install}); tried ${tried.join('; ')}` };
}

let h5py: { python: string | null; reason: string } | undefined;
let keras: { python: string | null; reason: string } | undefined;

/** The first Python with h5py. */
export function h5pyPython(): { python: string | null; reason: string } {
  return (h5py ??= findPython('h5py', 'apt-get install -y python3-h5py'));
}

/** The first Python with Keras (none here: no Python package registry, and Debian has no Keras). */
export function kerasPython(): { python: string | null; reason: string } {
  return (keras ??= findPython('keras', 'pip install keras tensorflow'));
}

/** Runs `script` with `input` as JSON on stdin (as `data`) and parses what it prints as JSON. */
export function runPython<T>(python: string, script: string, input: unknown): T {
  const prelude = 'import json, sys\ndata = json.load(sys.stdin)\n';
  const result = spawnSync(python, ['-c', prelude + script], { input: JSON.stringify(input), encoding: 'utf8', timeout: 300_000, maxBuffer: 256 << 20 });
  if (result.status !== 0) throw new Error(`Python failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** One dataset as h5py sees it, with what Keras's safe readers check. */
export interface H5Dataset {
  shape: number[];
  dtype: string;
  external: boolean;
  virtual: boolean;
  /** SHA-256 of the little-endian float32 bytes, to compare with the model's values. */
  sha256: string;
}

/** The legacy `.h5` as h5py reads it. */
export interface Keras2Listing {
  rootAttrs: Record<string, { type: string; value: string }>;
  modelWeightsAttrs: Record<string, string>;
  layerNames: string[];
  layers: Record<string, { weightNames: string[]; datasets: Record<string, H5Dataset> }>;
  softLinks: string[];
}

const COMMON = `
import hashlib
import h5py
import numpy as np

def describe(ds):
    arr = np.asarray(ds[()], dtype='<f4')
    return {'shape': list(ds.shape), 'dtype': ds.dtype.str, 'external': ds.external is not None,
            'virtual': bool(ds.is_virtual), 'sha256': hashlib.sha256(arr.tobytes()).hexdigest()}

def strings(value):
    return [v.decode('utf8') if isinstance(v, bytes) else str(v) for v in value]

def soft_links(f):
    found = []
    def visit(name):
        link = f.get(name, getlink=True)
        if not isinstance(link, h5py.HardLink):
            found.append(name)
    f.visit(visit)
    return found
`;

const KERAS2 = `${COMMON}
f = h5py.File(data['file'], 'r')
root = {}
for k in f.attrs:
    v = f.attrs[k]
    root[k] = {'type': type(v).__name__, 'value': v.decode('utf8') if isinstance(v, bytes) else str(v)}
mw = f['model_weights']
out = {'rootAttrs': root, 'modelWeightsAttrs': {k: (mw.attrs[k].decode('utf8') if isinstance(mw.attrs[k], bytes) else str(mw.attrs[k])) for k in mw.attrs if k != 'layer_names'},
       'layerNames': strings(mw.attrs['layer_names']), 'layers': {}, 'softLinks': soft_links(f)}
for name in out['layerNames']:
    g = mw[name]
    names = strings(g.attrs['weight_names'])
    out['layers'][name] = {'weightNames': names, 'datasets': {n: describe(g[n]) for n in names}}
print(json.dumps(out))
`;

/** Lists a legacy Keras `.h5` with h5py: attributes, layer and weight names, datasets. */
export function listKeras2H5(python: string, file: string): Keras2Listing {
  return runPython<Keras2Listing>(python, KERAS2, { file });
}

/** A `.keras` archive as Python's zipfile and h5py read it. */
export interface Keras3Listing {
  entries: { name: string; compression: number }[];
  metadata: Record<string, string>;
  config: { class_name: string; config: { layers: { class_name: string; name: string }[] } };
  rootVarsName: string | null;
  /** `layers/<key>` → the `name` attribute on its vars and its datasets by index. */
  layers: Record<string, { name: string | null; vars: Record<string, H5Dataset> }>;
  softLinks: string[];
}

const KERAS3 = `${COMMON}
import io, zipfile
z = zipfile.ZipFile(data['file'])
assert z.testzip() is None
entries = [{'name': i.filename, 'compression': i.compress_type} for i in z.infolist()]
f = h5py.File(io.BytesIO(z.read('model.weights.h5')), 'r')
layers = {}
for key in f['layers']:
    vars_ = f['layers'][key]['vars']
    name = vars_.attrs.get('name')
    layers[key] = {'name': name.decode('utf8') if isinstance(name, bytes) else name, 'vars': {k: describe(vars_[k]) for k in vars_}}
root_name = f['vars'].attrs.get('name') if 'vars' in f else None
print(json.dumps({'entries': entries, 'metadata': json.loads(z.read('metadata.json')),
                  'config': json.loads(z.read('config.json')), 'rootVarsName': root_name,
                  'layers': layers, 'softLinks': soft_links(f)}))
`;

/** Lists a `.keras` archive with zipfile and h5py: entries, metadata, config and the weights' groups. */
export function listKerasArchive(python: string, file: string): Keras3Listing {
  return runPython<Keras3Listing>(python, KERAS3, { file });
}
