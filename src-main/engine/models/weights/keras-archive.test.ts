import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignWeights } from './assign-weights';
import { readKerasArchive } from './keras-archive';
import { kerasSnakeCase, type KerasLayerConfig } from './keras3-layout';
import { readWeightsFile } from './load-weights';
import { weightedLayers } from './match-layers';
import { writeKeras3WeightsH5, writeKerasArchive, type Keras3Layer } from './test-support/keras-writers';
import { differingWeights, fillSeeded, readModelWeights, tinyCnn } from './test-support/tiny-models';
import { caught } from './test-support/caught';
import { writeZip } from './test-support/zip-writer';

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(path.join(os.tmpdir(), 'graft-keras3-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Where Keras 3 puts the tiny CNN's layers: by class and count, in model.layers order.
const KEYS = ['conv2d', 'batch_normalization', 'depthwise_conv2d', 'batch_normalization_1', 'conv2d_1', 'dense'];

function keras3Layers(model: tf.LayersModel, options: { names: boolean; prefix?: string; keys?: string[] }): Keras3Layer[] {
  const keys = options.keys ?? KEYS;
  return weightedLayers(model).map((layer, i) => ({
    path: `${options.prefix ?? 'layers'}/${keys[i]}`,
    name: options.names ? layer.name : undefined,
    // Keras 3 keeps creation order (trainable first), as tfjs does.
    vars: layer.weights.map((w) => ({ name: String(i), shape: w.shape as number[], values: w.read().dataSync() as Float32Array })),
  }));
}

function layerConfigs(model: tf.LayersModel): KerasLayerConfig[] {
  return model.layers.map((layer) => {
    const className = layer.getClassName();
    const config = layer.getConfig() as { useBias?: boolean; center?: boolean; scale?: boolean };
    return {
      class_name: className,
      name: layer.name,
      config: { name: layer.name, use_bias: config.useBias, center: config.center, scale: config.scale },
    };
  });
}

function functionalConfig(layers: KerasLayerConfig[]): unknown {
  return { module: 'keras', class_name: 'Functional', config: { name: 'functional', trainable: true, layers }, registered_name: 'Functional' };
}

async function archive(name: string, config: unknown, layers: Keras3Layer[]): Promise<string> {
  const h5 = path.join(dir, `${name}.weights.h5`);
  await writeKeras3WeightsH5(h5, layers);
  const file = path.join(dir, `${name}.keras`);
  writeKerasArchive(file, config, h5);
  return file;
}

async function loadFile(file: string, model: tf.LayersModel) {
  const stored = await readWeightsFile(file, model);
  try {
    return assignWeights(tf, model, stored);
  } finally {
    stored.dispose();
  }
}


describe('Keras 3 .keras archives', () => {
  it('derives the layout keys as Keras does', () => {
    expect(['Conv2D', 'BatchNormalization', 'DepthwiseConv2D', 'ReLU', 'InputLayer', 'ZeroPadding2D', 'GlobalAveragePooling2D']
      .map(kerasSnakeCase)).toEqual(['conv2d', 'batch_normalization', 'depthwise_conv2d', 're_lu', 'input_layer', 'zero_padding2d', 'global_average_pooling2d']);
  });

  it('loads by layer name when the vars record it (Keras ≥ 3.6)', async () => {
    const source = tinyCnn(tf);
    const expected = fillSeeded(tf, source, 21);
    const file = await archive('named', functionalConfig(layerConfigs(source)), keras3Layers(source, { names: true }));
    const target = tinyCnn(tf);
    const report = await loadFile(file, target);
    expect(report.format).toBe('keras-v3');
    expect(report.loaded).toHaveLength(6);
    expect(differingWeights(readModelWeights(target), expected)).toEqual([]);
  });

  it('takes names from config.json when the vars do not record them (Keras 3.0–3.5)', async () => {
    const source = tinyCnn(tf, { bnScale: false });
    const expected = fillSeeded(tf, source, 22);
    const file = await archive('unnamed', functionalConfig(layerConfigs(source)), keras3Layers(source, { names: false }));
    const stored = await readKerasArchive(file);
    try {
      expect(stored.layers.map((l) => l.name)).toEqual(weightedLayers(source).map((l) => l.name));
      // Roles come from the class: BatchNormalization(scale=False) stores beta, mean, variance.
      expect(stored.layers[1]?.weights.map((w) => w.role)).toEqual(['beta', 'moving_mean', 'moving_variance']);
      const target = tinyCnn(tf, { bnScale: false });
      assignWeights(tf, target, stored);
      expect(differingWeights(readModelWeights(target), expected)).toEqual([]);
    } finally {
      stored.dispose();
    }
  });

  it('walks nested models (a Sequential around a Functional base) into a flat model', async () => {
    const source = tinyCnn(tf);
    const expected = fillSeeded(tf, source, 23);
    const configs = layerConfigs(source);
    const base = configs.filter((c) => c.name !== 'predictions');
    const head = configs.filter((c) => c.name === 'predictions');
    const config = { class_name: 'Sequential', config: { name: 'sequential', layers: [
      { class_name: 'Functional', config: { name: 'base', layers: base } }, ...head] } };
    const layers = keras3Layers(source, { names: false, keys: [...KEYS.slice(0, 5).map((k) => `functional/layers/${k}`), 'dense'] });
    const file = await archive('nested', config, layers);
    const target = tinyCnn(tf);
    await loadFile(file, target);
    expect(differingWeights(readModelWeights(target), expected)).toEqual([]);
  });

  it('loads a bare Keras 3 .weights.h5 by walking the target model, as Keras does', async () => {
    const source = tinyCnn(tf);
    const expected = fillSeeded(tf, source, 24);
    const file = path.join(dir, 'bare.weights.h5');
    await writeKeras3WeightsH5(file, keras3Layers(source, { names: false }));
    const target = tinyCnn(tf);
    await loadFile(file, target);
    expect(differingWeights(readModelWeights(target), expected)).toEqual([]);
  });

  it('explains archives it cannot read', async () => {
    const notZip = path.join(dir, 'text.keras');
    writeFileSync(notZip, 'hello');
    expect((await caught(readKerasArchive(notZip))).message).toContain('not a zip');

    const noConfig = path.join(dir, 'noconfig.keras');
    writeFileSync(noConfig, zipSync({ 'metadata.json': new Uint8Array(Buffer.from('{}')) }));
    expect((await caught(readKerasArchive(noConfig))).message).toContain('config.json');

    const npz = path.join(dir, 'npz.keras');
    writeFileSync(npz, zipSync({
      'config.json': new Uint8Array(Buffer.from(JSON.stringify(functionalConfig([])))),
      'model.weights.npz': new Uint8Array(4),
    }));
    expect((await caught(readKerasArchive(npz))).message).toContain('model.weights.npz');

    const source = tinyCnn(tf);
    fillSeeded(tf, source, 25);
    const good = await archive('good', functionalConfig(layerConfigs(source)), keras3Layers(source, { names: true }));
    const cut = path.join(dir, 'cut.keras');
    const bytes = readFileSync(good);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    expect((await caught(readKerasArchive(cut))).code).toBe('io');
  });

  it('loads an archive written with Zip64 fields, and explains a damaged one', async () => {
    const source = tinyCnn(tf);
    const expected = fillSeeded(tf, source, 27);
    const h5 = path.join(dir, 'zip64.weights.h5');
    await writeKeras3WeightsH5(h5, keras3Layers(source, { names: true }));
    const entries = [
      { name: 'metadata.json', data: Buffer.from('{"keras_version": "3.8.0"}') },
      { name: 'config.json', data: Buffer.from(JSON.stringify(functionalConfig(layerConfigs(source)))) },
      { name: 'model.weights.h5', data: readFileSync(h5) },
    ];
    const file = path.join(dir, 'zip64.keras');
    await writeZip(file, entries, { zip64: true });
    const target = tinyCnn(tf);
    expect((await loadFile(file, target)).loaded).toHaveLength(6);
    expect(differingWeights(readModelWeights(target), expected)).toEqual([]);

    // The last entry's Zip64 field cut short (its extra block shrunk to one value).
    const bytes = readFileSync(file);
    const lastCentral = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bytes.writeUInt16LE(12, lastCentral + 30);
    const damaged = path.join(dir, 'zip64-damaged.keras');
    writeFileSync(damaged, bytes);
    const error = await caught(readKerasArchive(damaged));
    expect(error.code).toBe('io');
    expect(error.message).toBe('Could not unpack zip64-damaged.keras: the Zip64 extra field of model.weights.h5 is short. The file may be truncated or corrupt.');
  });

  it('names the layer and shapes when the archive is for another model', async () => {
    const source = tinyCnn(tf, { conv2Filters: 5 });
    fillSeeded(tf, source, 26);
    const file = await archive('other', functionalConfig(layerConfigs(source)), keras3Layers(source, { names: true }));
    const error = await caught(loadFile(file, tinyCnn(tf)));
    expect(error.code).toBe('bad-request');
    expect(error.message).toContain('layer "block2_conv1" weight kernel expects shape [1, 1, 4, 6], the file has [1, 1, 4, 5]');
  });
});
