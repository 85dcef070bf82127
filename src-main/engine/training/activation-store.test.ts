import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActivationStore } from './activation-store';

const HASH = 'ab'.repeat(16);
const OTHER = 'cd'.repeat(16);
let root = '';
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-activations-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const packsOf = (store: ActivationStore) => fs.readdirSync(path.join(store.dir, 'packs')).map((f) => path.join(store.dir, 'packs', f));

describe('ActivationStore', () => {
  it('reads back what it wrote, in this process and the next, and counts hits and misses', async () => {
    const store = new ActivationStore(root, 'key', 3, 'none', 0);
    expect(await store.read(HASH, 0)).toBeNull();
    await store.writeMany([
      { contentHash: HASH, variant: 0, values: Float32Array.of(1, 2, 3) },
      { contentHash: OTHER, variant: 0, values: Float32Array.of(4, 5, 6) },
    ]);
    expect(packsOf(store)).toHaveLength(1);
    expect(await store.read(OTHER, 0)).toEqual(Float32Array.of(4, 5, 6));
    expect(store.has(HASH, 0)).toBe(true);
    expect(store.has(HASH, 1)).toBe(false);
    expect(store.stats).toMatchObject({ hits: 1, misses: 1 });
    const next = new ActivationStore(root, 'key', 3, 'none', 0);
    expect(await next.read(HASH, 0)).toEqual(Float32Array.of(1, 2, 3));
    expect(await next.read(OTHER, 0)).toEqual(Float32Array.of(4, 5, 6));
  });

  it('ignores a damaged pack (its entries are computed again) and leftovers of a killed writer', async () => {
    const store = new ActivationStore(root, 'key', 2, 'none', 0);
    await store.write(HASH, 0, Float32Array.of(1, 2));
    const [pack] = packsOf(store);
    fs.truncateSync(pack!, fs.statSync(pack!).size - 4);
    fs.writeFileSync(path.join(store.dir, 'packs', 'x.pack.123-abcd.tmp'), 'partial');
    const next = new ActivationStore(root, 'key', 2, 'none', 0);
    expect(next.has(HASH, 0)).toBe(false);
    expect(await next.read(HASH, 0)).toBeNull();
    // A store of another entry size reads nothing from these packs either.
    await next.write(OTHER, 0, Float32Array.of(7, 8));
    expect(await new ActivationStore(root, 'key', 3, 'none', 0).read(OTHER, 0)).toBeNull();
  });

  it('keeps variants apart, and augmented variants apart per augmentation', async () => {
    const plain = new ActivationStore(root, 'key', 1, 'flip-a', 0);
    await plain.write(HASH, 0, Float32Array.of(0));
    await plain.write(HASH, 1, Float32Array.of(1));
    const other = new ActivationStore(root, 'key', 1, 'flip-b', 0);
    expect(await other.read(HASH, 0)).toEqual(Float32Array.of(0));
    expect(await other.read(HASH, 1)).toBeNull();
    expect(await new ActivationStore(root, 'key', 1, 'flip-a', 0).read(HASH, 1)).toEqual(Float32Array.of(1));
  });

  it('keeps entries in memory within its budget, so later reads need no file; beyond the budget it reads the disk', async () => {
    const store = new ActivationStore(root, 'key', 2, 'none', 8);
    await store.write(HASH, 0, Float32Array.of(4, 5));
    await store.write(HASH, 1, Float32Array.of(6, 7));
    fs.rmSync(store.dir, { recursive: true });
    const out = new Float32Array(2);
    expect(await store.read(HASH, 0, out)).toBe(out);
    expect(out).toEqual(Float32Array.of(4, 5));
    // The second entry did not fit in 8 bytes: it came from the (now removed) pack.
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
