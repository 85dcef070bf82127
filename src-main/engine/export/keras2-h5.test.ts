import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeKerasH5 } from './keras2-h5';
import { h5pyPython, runPython } from './test-support/python-h5py';
import { expectAtomicReplace, expectRefusal, tempFolder, zooRoundTrip } from './test-support/writer-cases';

const h5py = h5pyPython();
let folder: ReturnType<typeof tempFolder>;
beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => folder?.dispose());

function fresh(): string {
  folder = tempFolder('graft-keras2-');
  return folder.dir;
}

// What h5py hands Keras's legacy loader: attribute types, string dtypes, and the parsed config.
const ATTRIBUTE_TYPES = `
import h5py
f = h5py.File(data['file'], 'r')
mw = f['model_weights']
print(json.dumps({
  'root': {k: type(f.attrs[k]).__name__ for k in f.attrs},
  'groups': sorted(f.keys()),
  'layerNamesDtype': mw.attrs['layer_names'].dtype.str,
  'weightNames': {k: {'dtype': mw[k].attrs['weight_names'].dtype.str, 'values': [v.decode() if isinstance(v, bytes) else v for v in mw[k].attrs['weight_names']]} for k in ['conv', 'mixed']},
  'convGroup': sorted(mw['conv'].keys()), 'convInner': sorted(mw['conv']['conv'].keys()),
  'config': json.loads(f.attrs['model_config']),
}))
`;

interface Listing {
  root: Record<string, string>;
  groups: string[];
  layerNamesDtype: string;
  weightNames: Record<string, { dtype: string; values: string[] }>;
  convGroup: string[];
  convInner: string[];
  config: {
    class_name: string;
    config: { name: string; layers: { class_name: string; name: string; config: Record<string, unknown>; inbound_nodes: unknown }[]; input_layers: unknown; output_layers: unknown };
  };
}

describe('writeKerasH5', () => {
  it.skipIf(!h5py.python)(`writes Keras 2's full-model layout; the zoo loads back exactly (${h5py.reason})`, async () => {
    const dir = fresh();
    const file = path.join(dir, 'zoo.h5');
    const { result, delta } = await zooRoundTrip(tf, writeKerasH5, file);
    expect(delta).toBeLessThanOrEqual(1e-6);
    expect(result).toMatchObject({ file, layers: 21, weights: 14 });
    const listing = runPython<Listing>(h5py.python as string, ATTRIBUTE_TYPES, { file });
    expect(listing.root).toEqual({ backend: 'str', keras_version: 'str', model_config: 'str' });
    expect(listing.groups).toEqual(['model_weights']);
    expect(listing.layerNamesDtype).toBe('|S11');
    expect(listing.weightNames).toEqual({ conv: { dtype: '|S13', values: ['conv/kernel:0', 'conv/bias:0'] }, mixed: { dtype: '<f8', values: [] } });
    expect(listing.convGroup).toEqual(['conv']);
    expect(listing.convInner).toEqual(['bias:0', 'kernel:0']);
    const { config } = listing;
    expect(config.class_name).toBe('Functional');
    expect(Object.keys(config.config).sort()).toEqual(['input_layers', 'layers', 'name', 'output_layers']);
    expect(config.config.input_layers).toEqual([['input_layer', 0, 0]]);
    expect(config.config.output_layers).toEqual([['predictions', 0, 0]]);
    const byName = new Map(config.config.layers.map((l) => [l.name, l]));
    expect(Object.keys(byName.get('mixed') ?? {})).toEqual(['class_name', 'config', 'name', 'inbound_nodes']);
    expect(byName.get('mixed')?.inbound_nodes).toEqual([[['max_pool', 0, 0, {}], ['avg_pool', 0, 0, {}]]]);
    expect(byName.get('input_layer')?.inbound_nodes).toEqual([]);
    expect(byName.get('conv')?.config).toMatchObject({ trainable: false, dtype: 'float32' });
    expect(byName.get('conv')?.config).not.toHaveProperty('groups');
  });

  it('refuses a layer it cannot carry, naming it, and writes nothing', async () => {
    const dir = fresh();
    await expectRefusal(tf, writeKerasH5, dir, path.join(dir, 'model.h5'));
  });

  it('replaces an existing file whole and leaves no temporary files', async () => {
    const dir = fresh();
    await expectAtomicReplace(tf, writeKerasH5, dir, path.join(dir, 'model.h5'));
  });
});
