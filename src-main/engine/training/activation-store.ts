import { createHash, randomBytes } from 'node:crypto';
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
const LAYOUT_VERSION = 2;

/** The cache key of a prefix: a short hash of everything that changes its outputs. */
export function prefixKey(identity: PrefixIdentity): string {
  const text = JSON.stringify({ v: LAYOUT_VERSION, ...identity, cut: [...identity.cut] });
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}

/** One entry to store: an image (by content hash), its variant, the cut's outputs back to back. */
export interface ActivationEntry {
  contentHash: string;
  variant: number;
  values: Float32Array;
}

/** Where an entry is: its pack file and the byte offset of its values there. */
interface EntryPlace {
  pack: string;
  offset: number;
}

/** A pack file's suffix; anything else in `packs/` (a temporary file of a killed writer) is ignored. */
const PACK_SUFFIX = '.pack';

/**
 * Activations of a frozen model prefix at the freeze cut, stored once per image content and
 * augmentation variant and reused by every epoch and every later run with the same prefix.
 * Entries are written a batch at a time into one pack file — a 4-byte header length, a JSON
 * header naming the entries, then their float32 values back to back — under
 * `<root>/<prefix key>/packs/`, written aside and renamed into place, so a killed run leaves
 * only whole packs; a pack whose size does not match its header is ignored (its entries are
 * computed again). One file per batch, not per image: creating a file costs more than writing
 * one entry, and a 100k-image project keeps a few thousand files, not 100k. Packs are not
 * flushed to disk one by one (a cache is made again when lost). Entries read or written are
 * also kept in memory up to a byte budget, so the epochs after the first read no file.
 */
export class ActivationStore {
  readonly dir: string;
  readonly stats: ActivationStats = { hits: 0, misses: 0, bytes: 0 };
  private readonly memo = new Map<string, Float32Array>();
  private memoBytes = 0;
  private index: Map<string, EntryPlace> | null = null;

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
    const name = this.nameOf(contentHash, variant);
    const target = out ?? new Float32Array(this.floats);
    const kept = this.memo.get(name);
    if (kept) {
      this.stats.hits += 1;
      this.stats.bytes += kept.byteLength;
      target.set(kept);
      return target;
    }
    const place = this.places().get(name);
    if (!place || !this.readPlace(place, target)) {
      this.stats.misses += 1;
      return null;
    }
    this.stats.hits += 1;
    this.stats.bytes += this.floats * 4;
    this.keep(name, target);
    return target;
  }

  /** True when an entry is stored (no stats counted). */
  has(contentHash: string, variant: number): boolean {
    const name = this.nameOf(contentHash, variant);
    return this.memo.has(name) || this.places().has(name);
  }

  /** Stores one entry (a pack of one; prefer `writeMany` for a batch). */
  async write(contentHash: string, variant: number, values: Float32Array): Promise<void> {
    await this.writeMany([{ contentHash, variant, values }]);
  }

  /** Stores a batch of entries as one pack. */
  async writeMany(entries: readonly ActivationEntry[]): Promise<void> {
    if (entries.length === 0) return;
    for (const e of entries) if (e.values.length !== this.floats) throw new Error(`An activation entry holds ${this.floats} floats; got ${e.values.length}.`);
    const names = entries.map((e) => this.nameOf(e.contentHash, e.variant));
    const header = Buffer.from(JSON.stringify({ floats: this.floats, names }), 'utf8');
    const dataOffset = alignedDataOffset(header.byteLength);
    const bytes = Buffer.alloc(dataOffset + entries.length * this.floats * 4);
    bytes.writeUInt32LE(header.byteLength, 0);
    header.copy(bytes, 4);
    entries.forEach((e, i) => Buffer.from(e.values.buffer, e.values.byteOffset, e.values.byteLength).copy(bytes, dataOffset + i * this.floats * 4));
    const folder = path.join(this.dir, 'packs');
    const pack = path.join(folder, `${process.pid}-${randomBytes(6).toString('hex')}${PACK_SUFFIX}`);
    // Synchronous: the thread pool is busy decoding the next images, and an asynchronous write waits behind them.
    fs.mkdirSync(folder, { recursive: true });
    const temp = tempPathFor(pack);
    try {
      fs.writeFileSync(temp, bytes);
      fs.renameSync(temp, pack);
    } catch (error) {
      fs.rmSync(temp, { force: true });
      throw error;
    }
    const places = this.places();
    names.forEach((name, i) => places.set(name, { pack, offset: dataOffset + i * this.floats * 4 }));
    this.stats.bytes += entries.length * this.floats * 4;
    entries.forEach((e, i) => this.keep(names[i]!, e.values));
  }

  /** Keeps a copy of an entry in memory while the budget allows. */
  private keep(name: string, values: Float32Array): void {
    if (this.memo.has(name) || this.memoBytes + values.byteLength > this.memoBudget) return;
    this.memo.set(name, values.slice(0, this.floats));
    this.memoBytes += values.byteLength;
  }

  /** Reads an entry from its pack (checked whole when indexed); false when the pack is gone or cut short since. */
  private readPlace(place: EntryPlace, target: Float32Array): boolean {
    let fd: number;
    try {
      fd = fs.openSync(place.pack, 'r');
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT') throw error;
      return false;
    }
    try {
      const view = new Uint8Array(target.buffer, target.byteOffset, this.floats * 4);
      return fs.readSync(fd, view, 0, view.byteLength, place.offset) === view.byteLength;
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Every stored entry's place, read from the packs' headers once (then kept up to date by writes). */
  private places(): Map<string, EntryPlace> {
    if (this.index) return this.index;
    const index = new Map<string, EntryPlace>();
    const folder = path.join(this.dir, 'packs');
    let files: string[] = [];
    try {
      files = fs.readdirSync(folder).filter((f) => f.endsWith(PACK_SUFFIX));
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT') throw error;
    }
    for (const file of files) {
      const pack = path.join(folder, file);
      let fd: number;
      try {
        fd = fs.openSync(pack, 'r');
      } catch {
        continue;
      }
      try {
        const header = readHeader(fd, fs.fstatSync(fd).size, this.floats);
        header?.names.forEach((name, i) => index.set(name, { pack, offset: header.dataOffset + i * this.floats * 4 }));
      } finally {
        fs.closeSync(fd);
      }
    }
    this.index = index;
    return index;
  }

  private nameOf(contentHash: string, variant: number): string {
    if (!/^[0-9a-f]{16,128}$/.test(contentHash)) throw new Error(`Not a content hash: ${contentHash}`);
    return variant === 0 ? `${contentHash}-0` : `${contentHash}-${this.augmentTag}-${variant}`;
  }
}

/** Where a pack's values start: after the length and the header, on a 4-byte boundary. */
function alignedDataOffset(headerBytes: number): number {
  return Math.ceil((4 + headerBytes) / 4) * 4;
}

/** A pack's header when the file is whole (its size matches the header) and holds entries of `floats`; else null. */
function readHeader(fd: number, size: number, floats: number): { names: string[]; dataOffset: number } | null {
  if (size < 4) return null;
  const length = Buffer.alloc(4);
  fs.readSync(fd, length, 0, 4, 0);
  const headerBytes = length.readUInt32LE(0);
  if (headerBytes > size - 4 || headerBytes > 64 * 1024 * 1024) return null;
  const raw = Buffer.alloc(headerBytes);
  fs.readSync(fd, raw, 0, headerBytes, 4);
  let header: { floats?: unknown; names?: unknown };
  try {
    header = JSON.parse(raw.toString('utf8')) as typeof header;
  } catch {
    return null;
  }
  if (header.floats !== floats || !Array.isArray(header.names) || !header.names.every((n) => typeof n === 'string')) return null;
  const names = header.names as string[];
  const dataOffset = alignedDataOffset(headerBytes);
  return size === dataOffset + names.length * floats * 4 ? { names, dataOffset } : null;
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
