import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { unzipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeKerasArchive } from './keras3-archive';
import { expectAtomicReplace, expectRefusal, tempFolder, zooRoundTrip } from './test-support/writer-cases';

let folder: ReturnType<typeof tempFolder>;
beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => folder?.dispose());

function fresh(): string {
  folder = tempFolder('graft-keras3-');
  return folder.dir;
}

interface Entry {
  class_name: string;
  name: string;
  build_config?: { input_shape: unknown };
  inbound_nodes: { args: unknown[]; kwargs: Record<string, unknown> }[];
}

describe('writeKerasArchive', () => {
  let config: { [key: string]: unknown; config: { layers: Entry[]; input_layers: unknown; output_layers: unknown } };
  let metadata: Record<string, unknown>;
  let names: string[];
  beforeAll(async () => {
    const dir = fresh();
    const file = path.join(dir, 'zoo.keras');
    const { result, delta } = await zooRoundTrip(tf, writeKerasArchive, file);
    expect(delta).toBeLessThanOrEqual(1e-6);
    expect(result).toMatchObject({ file, layers: 21, weights: 14 });
    const entries = unzipSync(new Uint8Array(readFileSync(file)));
    names = Object.keys(entries);
    const json = (name: string): unknown => JSON.parse(Buffer.from(entries[name] ?? new Uint8Array()).toString('utf8'));
    config = json('config.json') as typeof config;
    metadata = json('metadata.json') as typeof metadata;
    folder.dispose();
  });
  afterAll(() => folder?.dispose());

  it('holds metadata, config and weights as Keras 3 writes them', () => {
    expect(names).toEqual(['metadata.json', 'config.json', 'model.weights.h5']);
    expect(metadata.keras_version).toBe('3.8.0');
    expect(metadata.date_saved).toMatch(/^\d{4}-\d{2}-\d{2}@\d{2}:\d{2}:\d{2}$/);
    expect({ ...config, config: undefined }).toEqual({
      module: 'keras.src.models.functional', class_name: 'Functional', config: undefined, registered_name: 'Functional',
      build_config: { input_shape: null }, compile_config: null,
    });
    expect(config.config).toMatchObject({ name: 'zoo', trainable: true, input_layers: ['input_layer', 0, 0], output_layers: ['predictions', 0, 0] });
  });

  it('records calls as Keras 3 does: keras tensors, lists for merge layers, the kwargs Keras fills in', () => {
    const byName = new Map(config.config.layers.map((l) => [l.name, l]));
    const tensor = (layer: string, shape: (number | null)[]) => ({
      class_name: '__keras_tensor__', config: { shape, dtype: 'float32', keras_history: [layer, 0, 0] },
    });
    expect(byName.get('input_layer')?.inbound_nodes).toEqual([]);
    expect(byName.get('input_layer')?.build_config).toBeUndefined();
    expect(byName.get('bn')?.inbound_nodes).toEqual([{ args: [tensor('conv', [null, 4, 4, 4])], kwargs: { mask: null } }]);
    expect(byName.get('drop')?.inbound_nodes).toEqual([{ args: [tensor('pooled', [null, 16])], kwargs: { training: false } }]);
    expect(byName.get('mixed')?.inbound_nodes).toEqual([
      { args: [[tensor('max_pool', [null, 4, 4, 4]), tensor('avg_pool', [null, 4, 4, 4])]], kwargs: {} },
    ]);
    expect(byName.get('mixed')?.build_config).toEqual({ input_shape: [[null, 4, 4, 4], [null, 4, 4, 4]] });
    expect(byName.get('conv')?.build_config).toEqual({ input_shape: [null, 10, 10, 3] });
    expect(config.config.layers.every((l) => (l as unknown as { module: string }).module === 'keras.layers')).toBe(true);
  });

  it('refuses a layer it cannot carry, naming it, and writes nothing', async () => {
    const dir = fresh();
    await expectRefusal(tf, writeKerasArchive, dir, path.join(dir, 'model.keras'));
  });

  it('replaces an existing file whole and leaves no temporary files', async () => {
    const dir = fresh();
    await expectAtomicReplace(tf, writeKerasArchive, dir, path.join(dir, 'model.keras'));
  });
});
