import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tempPathFor } from '../../base/atomic-write';
import { errnoCode } from '../../base/fs-errors';

/** What makes two prefixes compute the same activations: change any part and the cache misses. */
export interface PrefixIdentity {
  arch: string;
  /** Names the weights (bundled package version, ImageNet file hash, a file's path, size and mtime). */
  weights: string;
  inputSize: number;
  /** How pixels are scaled for the weights. */
  scaling: string;
  /** Layers whose outputs are cached (the freeze cut). */
  cut: readonly string[];
  /** Hash of the prefix's frozen weight values, so a changed weights file never reuses stale activations. */
  weightsHash: string;
}

/** Cache figures of one run. */
export interface ActivationStats {
  hits: number;
  misses: number;
  bytes: number;
}

/** Bytes of entries a store keeps in memory by default: an eighth of the machine's memory, at most 1 GiB. */
export const DEFAULT_MEMO_BYTES = Math.min(2 ** 30, Math.floor(os.totalmem() / 8));

/** Version of the stored layout; bump it when what is stored changes meaning. */
const LAYOUT_VERSION = 1;

/** The cache key of a prefix: a short hash of everything that changes its outputs. */
export function prefixKey(identity: PrefixIdentity): string {
  const text = JSON.stringify({ v: LAYOUT_VERSION, ...identity, cut: [...identity.cut] });
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}

/**
 * Activations of a frozen model prefix at the freeze cut, stored once per image content and
 * augmentation variant and reused by every epoch and every later run with the same prefix.
 * One file per entry (float32, the cut's outputs back to back) under
 * `<root>/<prefix key>/<2 hex>/<content hash>-<variant>.f32`, written atomically, so a killed
 * run leaves only whole entries. An entry of the wrong size is treated as missing. Entries
 * are not flushed to disk one by one (a cache is made again when lost): a power cut can at
 * worst leave an empty file, which reads as missing. Entries read or written are also kept in
 * memory up to a byte budget, so the epochs after the first read no file.
 */
export class ActivationStore {
  readonly dir: string;
  readonly stats: ActivationStats = { hits: 0, misses: 0, bytes: 0 };
  private readonly memo = new Map<string, Float32Array>();
  private readonly folders = new Set<string>();
  private memoBytes = 0;

  constructor(
    root: string,
    readonly key: string,
    /** Floats per entry (all cut outputs of one image). */
    readonly floats: number,
    /** Names the augmentation (settings and seed) of variants above 0; variant 0, the image itself, is shared by every run. */
    readonly augmentTag = 'none',
    /** Bytes of entries kept in memory (the first ones read or written, none evicted). */
    readonly memoBudget = DEFAULT_MEMO_BYTES,
  ) {
    this.dir = path.join(root, key);
  }

  /** Reads an entry into `out` (or a new array); null when it is not cached (a miss is counted). */
  async read(contentHash: string, variant: number, out?: Float32Array): Promise<Float32Array | null> {
    const file = this.fileOf(contentHash, variant);
    const target = out ?? new Float32Array(this.floats);
    const kept = this.memo.get(file);
    if (kept) {
      this.stats.hits += 1;
      this.stats.bytes += kept.byteLength;
      target.set(kept);
      return target;
    }
    let bytes: Buffer;
    try {
      // Synchronous: one small file, nearly always in the page cache; the thread pool is busy decoding.
      bytes = fs.readFileSync(file);
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT') throw error;
      this.stats.misses += 1;
      return null;
    }
    if (bytes.byteLength !== this.floats * 4) {
      this.stats.misses += 1;
      return null;
    }
    this.stats.hits += 1;
    this.stats.bytes += bytes.byteLength;
    new Uint8Array(target.buffer, target.byteOffset, this.floats * 4).set(bytes);
    this.keep(file, target);
    return target;
  }

  /** True when an entry is stored (no stats counted). */
  has(contentHash: string, variant: number): boolean {
    try {
      return fs.statSync(this.fileOf(contentHash, variant)).size === this.floats * 4;
    } catch {
      return false;
    }
  }

  /** Stores an entry. */
  async write(contentHash: string, variant: number, values: Float32Array): Promise<void> {
    if (values.length !== this.floats) throw new Error(`An activation entry holds ${this.floats} floats; got ${values.length}.`);
    const file = this.fileOf(contentHash, variant);
    const folder = path.dirname(file);
    // Synchronous, all of it: a few tens of kilobytes, while the thread pool is busy decoding the
    // next images (an asynchronous mkdir or write waits behind those: 5 ms an entry, not 0.4).
    if (!this.folders.has(folder)) {
      fs.mkdirSync(folder, { recursive: true });
      this.folders.add(folder);
    }
    // Written aside and renamed into place: whole after a kill.
    const temp = tempPathFor(file);
    try {
      fs.writeFileSync(temp, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
      fs.renameSync(temp, file);
    } catch (error) {
      fs.rmSync(temp, { force: true });
      throw error;
    }
    this.stats.bytes += values.byteLength;
    this.keep(file, values);
  }

  /** Keeps a copy of an entry in memory while the budget allows. */
  private keep(file: string, values: Float32Array): void {
    if (this.memo.has(file) || this.memoBytes + values.byteLength > this.memoBudget) return;
    this.memo.set(file, values.slice(0, this.floats));
    this.memoBytes += values.byteLength;
  }

  private fileOf(contentHash: string, variant: number): string {
    if (!/^[0-9a-f]{16,128}$/.test(contentHash)) throw new Error(`Not a content hash: ${contentHash}`);
    const tag = variant === 0 ? '0' : `${this.augmentTag}-${variant}`;
    return path.join(this.dir, contentHash.slice(0, 2), `${contentHash}-${tag}.f32`);
  }
}

/** A short name for augmentation settings and their seed, for the cache entries of augmented variants. */
export function augmentTag(spec: object, seed: number): string {
  return createHash('sha256').update(JSON.stringify({ spec, seed })).digest('hex').slice(0, 12);
}

/** Bytes the activation cache takes on disk. */
export async function activationCacheSize(root: string): Promise<number> {
  let total = 0;
  const walk = async (dir: string): Promise<void> => {
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) total += (await fs.promises.stat(full)).size;
    }
  };
  await walk(root);
  return total;
}
