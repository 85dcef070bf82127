import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignWeights } from './assign-weights';
import { differingWeights, fillSeeded, readModelWeights, saveTfjsFolder, tinyCnn } from './test-support/tiny-models';
import { readTfjsModelJson } from './tfjs-model-json';
import { float16ToNumber, type TfjsWeightSpec } from './tfjs-weights';
import { caught } from './test-support/caught';

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(path.join(os.tmpdir(), 'graft-tfjs-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const saveTfjs = (model: tf.LayersModel, folder: string) => saveTfjsFolder(tf, model, folder);

async function load(file: string, model: tf.LayersModel) {
  const stored = await readTfjsModelJson(file);
  try {
    return assignWeights(tf, model, stored);
  } finally {
    stored.dispose();
  }
}


function toHalf(value: number): number {
  // Enough of IEEE 754 binary16 for normal numbers in tests.
  const f = new Float32Array([value]);
  const bits = new Uint32Array(f.buffer)[0] as number;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = (bits >>> 13) & 0x3ff;
  return sign | (exponent << 10) | mantissa;
}

describe('TensorFlow.js model.json', () => {
  it('copies a saved layers model into a fresh one by layer name (folder or file path)', async () => {
    const source = tinyCnn(tf);
    const expected = fillSeeded(tf, source, 31);
    const folder = path.join(dir, 'plain');
    await saveTfjs(source, folder);
    const target = tinyCnn(tf);
    const report = await load(folder, target);
    expect(report.format).toBe('tfjs');
    expect(differingWeights(readModelWeights(target), expected)).toEqual([]);
    const again = tinyCnn(tf);
    await load(path.join(folder, 'model.json'), again);
    expect(differingWeights(readModelWeights(again), expected)).toEqual([]);
  });

  it('dequantizes uint8, uint16 and float16 weights as tfjs does', async () => {
    const specs: TfjsWeightSpec[] = [
      { name: 'dense/kernel', shape: [2, 2], dtype: 'float32', quantization: { dtype: 'uint8', min: -1, scale: 0.5 } },
      { name: 'dense/bias', shape: [2], dtype: 'float32', quantization: { dtype: 'uint16', min: 10, scale: 0.25 } },
      { name: 'out/kernel', shape: [2, 1], dtype: 'float32', quantization: { dtype: 'float16' } },
      { name: 'out/bias', shape: [1], dtype: 'float32' },
    ];
    const bytes = Buffer.concat([
      Buffer.from([0, 1, 2, 4]),
      Buffer.from(new Uint16Array([3, 8]).buffer),
      Buffer.from(new Uint16Array([toHalf(1.5), toHalf(-0.25)]).buffer),
      Buffer.from(new Float32Array([7.5]).buffer),
    ]);
    const folder = path.join(dir, 'quantized');
    mkdirSync(folder, { recursive: true });
    // Two shards in one group, split mid-weight, as the converter does at its shard size.
    writeFileSync(path.join(folder, 'group1-shard1of2.bin'), bytes.subarray(0, 5));
    writeFileSync(path.join(folder, 'group1-shard2of2.bin'), bytes.subarray(5));
    writeFileSync(path.join(folder, 'model.json'), JSON.stringify({
      weightsManifest: [{ paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: specs }],
    }));
    const input = tf.input({ shape: [2] });
    const hidden = tf.layers.dense({ units: 2, name: 'dense' }).apply(input);
    const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 1, name: 'out' }).apply(hidden) as tf.SymbolicTensor });
    await load(folder, model);
    const got = readModelWeights(model);
    expect([...got.get('dense/kernel')!]).toEqual([-1, -0.5, 0, 1]);
    expect([...got.get('dense/bias')!]).toEqual([10.75, 12]);
    expect([...got.get('out/kernel')!]).toEqual([1.5, -0.25]);
    expect([...got.get('out/bias')!]).toEqual([7.5]);
    // Same numbers as tfjs's own decoder.
    const reference = tf.io.decodeWeights(new Uint8Array(bytes).buffer, specs as tf.io.WeightsManifestEntry[]);
    expect([...(reference['dense/bias']!.dataSync())]).toEqual([10.75, 12]);
    expect(float16ToNumber(0x3c00)).toBe(1);
    expect(float16ToNumber(0x0001)).toBeCloseTo(5.96e-8, 10);
  });

  it('fails clearly on a missing shard, a short shard, a graph model and bad JSON', async () => {
    const source = tinyCnn(tf);
    fillSeeded(tf, source, 32);
    const folder = path.join(dir, 'broken');
    await saveTfjs(source, folder);
    rmSync(path.join(folder, 'group1-shard1of1.bin'));
    const missing = await caught(readTfjsModelJson(folder));
    expect(missing.code).toBe('io');
    expect(missing.message).toContain('group1-shard1of1.bin');

    writeFileSync(path.join(folder, 'group1-shard1of1.bin'), Buffer.alloc(16));
    const short = await caught(readTfjsModelJson(folder));
    expect(short.code).toBe('io');
    expect(short.message).toMatch(/hold 16 bytes, but its manifest needs \d+\. A shard file is missing or truncated/);

    const graph = path.join(dir, 'graph');
    mkdirSync(graph);
    writeFileSync(path.join(graph, 'model.json'), JSON.stringify({ format: 'graph-model', modelTopology: { node: [] }, weightsManifest: [] }));
    expect((await caught(readTfjsModelJson(graph))).message).toContain('graph model');

    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{ nope');
    expect((await caught(readTfjsModelJson(bad))).code).toBe('bad-request');
  });
});
