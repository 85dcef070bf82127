import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedGraph, graphCachePath, type GraphCacheKey } from './graph-cache';

let dir = '';
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-graph-cache-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const KEY: GraphCacheKey = { arch: 'mobilenet_v2', weights: 'sha256:abc', inputSize: [224, 224], cut: [], pooling: 'avg' };

describe('graph cache', () => {
  it('gives each part of the key its own file', () => {
    const base = graphCachePath(dir, KEY);
    expect(path.dirname(base)).toBe(dir);
    expect(path.basename(base)).toMatch(/^mobilenet_v2-224x224-[0-9a-f]{24}\.onnx$/);
    const variants: GraphCacheKey[] = [
      { ...KEY, weights: 'sha256:abd' },
      { ...KEY, inputSize: [160, 160] },
      { ...KEY, cut: ['block_16_project_BN'] },
      { ...KEY, pooling: 'max' },
      { ...KEY, pooling: null },
      { ...KEY, arch: 'resnet50' },
    ];
    const paths = new Set([base, ...variants.map((k) => graphCachePath(dir, k))]);
    expect(paths.size).toBe(variants.length + 1);
    expect(graphCachePath(dir, { ...KEY })).toBe(base);
  });

  it('converts once, then returns the file without converting', async () => {
    let conversions = 0;
    const convert = () => {
      conversions++;
      return Uint8Array.of(1, 2, 3);
    };
    const first = await cachedGraph(path.join(dir, 'nested', 'onnx'), KEY, convert);
    expect(first.hit).toBe(false);
    expect([...fs.readFileSync(first.path)]).toEqual([1, 2, 3]);
    const second = await cachedGraph(path.join(dir, 'nested', 'onnx'), KEY, convert);
    expect(second).toEqual({ path: first.path, hit: true });
    expect(conversions).toBe(1);
    expect(fs.readdirSync(path.dirname(first.path))).toEqual([path.basename(first.path)]);
  });

  it('redoes an empty file (a crash before the atomic writer existed) and leaves nothing behind on failure', async () => {
    const file = graphCachePath(dir, KEY);
    fs.writeFileSync(file, '');
    expect((await cachedGraph(dir, KEY, () => Uint8Array.of(9))).hit).toBe(false);
    expect([...fs.readFileSync(file)]).toEqual([9]);
    await expect(cachedGraph(dir, { ...KEY, pooling: 'max' }, () => Promise.reject(new Error('conversion failed')))).rejects.toThrow('conversion failed');
    expect(fs.readdirSync(dir)).toEqual([path.basename(file)]);
  });
});
