import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActivationStore } from './activation-store';

const HASH = 'ab'.repeat(16);
let root = '';
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-activations-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function entryFile(store: ActivationStore): string {
  return path.join(store.dir, HASH.slice(0, 2), `${HASH}-0.f32`);
}

describe('ActivationStore', () => {
  it('reads back what it wrote, counts hits and misses, and treats an entry of the wrong size as missing', async () => {
    const store = new ActivationStore(root, 'key', 3, 'none', 0);
    expect(await store.read(HASH, 0)).toBeNull();
    await store.write(HASH, 0, Float32Array.of(1, 2, 3));
    expect(await store.read(HASH, 0)).toEqual(Float32Array.of(1, 2, 3));
    expect(store.has(HASH, 0)).toBe(true);
    fs.writeFileSync(entryFile(store), Buffer.alloc(8));
    expect(await store.read(HASH, 0)).toBeNull();
    expect(store.stats).toMatchObject({ hits: 1, misses: 2 });
    expect(fs.readdirSync(path.dirname(entryFile(store)))).toEqual([`${HASH}-0.f32`]);
  });

  it('keeps entries in memory within its budget, so later reads need no file; beyond the budget it reads the disk', async () => {
    const store = new ActivationStore(root, 'key', 2, 'none', 8);
    await store.write(HASH, 0, Float32Array.of(4, 5));
    await store.write(HASH, 1, Float32Array.of(6, 7));
    fs.rmSync(store.dir, { recursive: true });
    const out = new Float32Array(2);
    expect(await store.read(HASH, 0, out)).toBe(out);
    expect(out).toEqual(Float32Array.of(4, 5));
    // The second entry did not fit in 8 bytes: it came from the (now removed) file.
    expect(await store.read(HASH, 1)).toBeNull();
  });

  it('hands out copies: changing what a read returned or what was written does not change the kept entry', async () => {
    const store = new ActivationStore(root, 'key', 2);
    const values = Float32Array.of(1, 1);
    await store.write(HASH, 0, values);
    values[0] = 9;
    const first = (await store.read(HASH, 0))!;
    first[1] = 9;
    expect(await store.read(HASH, 0)).toEqual(Float32Array.of(1, 1));
  });
});
