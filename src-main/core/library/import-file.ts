import fs from 'node:fs';
import type { Database, Statement } from 'better-sqlite3';
import { hashBuffer, hashFile } from '../../base/file-hash';
import { errnoCode, fsErrorReason } from '../../base/fs-errors';
import { readRegularFile } from '../../base/regular-file';
import { hasImageExtension, unsupportedExtensionReason } from './image-formats';
import { probeImage, ProbeRejection } from './image-probe';
import type { ImageFacts, ImportWrite } from './import-writer';

/** Files up to this size are read once into memory (hash and decode share the bytes); larger ones stream. */
const BUFFER_LIMIT = 32 * 1024 * 1024;

/** The file calls one import makes; injectable so tests can simulate unreadable files as root. */
export interface ImportFileIo {
  stat(filePath: string): Promise<fs.Stats>;
  readFile(filePath: string, signal: AbortSignal): Promise<Buffer>;
}

/** Plain Node file access; a file is read only while it is a regular one (never a FIFO swapped in after the walk). */
export const nodeImportFileIo: ImportFileIo = {
  stat: (filePath) => fs.promises.stat(filePath),
  readFile: (filePath, signal) => readRegularFile(filePath, { maxBytes: BUFFER_LIMIT, signal }),
};

/** What happened to one file, with the database write it needs (if any). */
export type FileOutcome =
  | {
      kind: 'added' | 'updated' | 'relinked' | 'unchanged';
      write: ImportWrite | null;
      className: string | null;
      /** The existing row this file matched, so the run knows it is still present. */
      rowId: number | null;
    }
  | {
      kind: 'duplicate';
      path: string;
      duplicateOf: string;
      /** The file's bytes and stat, so the import can still prefer this copy (see duplicate-preference.ts). */
      contentHash: string;
      size: number;
      mtimeMs: number;
    }
  | { kind: 'skipped'; path: string; reason: string };

/** Settings the per-file step needs. */
export interface FileImportSettings {
  allowSvg: boolean;
  maxPixels: number;
  /** Maps a content hash to the thumbnail file to write while decoding; null: no thumbnails. */
  thumbnailFor: ((contentHash: string) => { size: number; file: string }) | null;
}

interface PathRow {
  id: number;
  size: number;
  mtime_ms: number;
  content_hash: string;
  missing: number;
}

interface HashRow {
  id: number;
  path: string;
  size: number;
  mtime_ms: number;
}

/**
 * Decides what one file means for the library: unchanged (size and mtime match), changed,
 * new, a duplicate of bytes already imported, or a moved file to relink by its hash.
 * Decisions that compare hashes happen synchronously after hashing, so files decoded
 * concurrently can never both claim the same bytes or the same row.
 */
export class FileImporter {
  /** Hashes claimed in this run but not yet committed → the path that claimed them. */
  private readonly pendingHashes = new Map<string, string>();
  /**
   * Rows this run already refreshes, updates or relinks → the path that took them and the
   * hash the row will hold. No second file may take them.
   */
  private readonly claimedIds = new Map<number, { path: string; hash: string }>();
  private readonly byPath: Statement;
  private readonly byHash: Statement;

  constructor(
    private readonly db: Database,
    private readonly settings: FileImportSettings,
    private readonly io: ImportFileIo,
    private readonly signal: AbortSignal,
  ) {
    this.byPath = db.prepare('SELECT id, size, mtime_ms, content_hash, missing FROM images WHERE path = ?');
    this.byHash = db.prepare('SELECT id, path, size, mtime_ms FROM images WHERE content_hash = ? ORDER BY id');
  }

  /** Forgets pending hashes once their rows are committed (the database answers for them then). */
  committed(writes: readonly ImportWrite[]): void {
    for (const write of writes) {
      if (write.kind === 'insert' || write.kind === 'update' || write.kind === 'relink') {
        if (this.pendingHashes.get(write.image.contentHash) === write.image.path) this.pendingHashes.delete(write.image.contentHash);
      }
    }
  }

  /** Handles one file found by the walk; never throws for a bad file (only when cancelled). */
  async importFile(filePath: string, className: string | null): Promise<FileOutcome> {
    if (!hasImageExtension(filePath, this.settings.allowSvg)) return skipped(filePath, unsupportedExtensionReason(filePath));
    let stats: fs.Stats;
    try {
      stats = await this.io.stat(filePath);
    } catch (error) {
      return skipped(filePath, fsErrorReason(error, 'file'));
    }
    const mtimeMs = Math.floor(stats.mtimeMs);
    let existing = this.byPath.get(filePath) as PathRow | undefined;
    // A row another file already took over in this run (a relink) no longer belongs to this path.
    if (existing && !this.mayTake(existing.id, filePath)) existing = undefined;
    if (existing && existing.size === stats.size && existing.mtime_ms === mtimeMs) {
      const write: ImportWrite | null = existing.missing
        ? { kind: 'touch', id: existing.id, size: stats.size, mtimeMs, className }
        : className !== null
          ? { kind: 'label', id: existing.id, className }
          : null;
      return { kind: 'unchanged', write, className, rowId: existing.id };
    }
    if (stats.size === 0) return skipped(filePath, 'empty file (0 bytes)');

    let bytes: Buffer | null = null;
    let hash: string;
    try {
      if (stats.size <= BUFFER_LIMIT) {
        bytes = await this.io.readFile(filePath, this.signal);
        hash = hashBuffer(bytes);
      } else {
        hash = await hashFile(filePath, { signal: this.signal });
      }
    } catch (error) {
      if (this.signal.aborted) throw error;
      return skipped(filePath, fsErrorReason(error, 'file'));
    }
    if (bytes?.length === 0) return skipped(filePath, 'empty file (0 bytes)');
    const size = bytes?.length ?? stats.size;

    // Asked again: while this file was read, a copy of its old bytes may have relinked its row.
    if (existing && !this.mayTake(existing.id, filePath)) existing = undefined;
    if (existing && existing.content_hash === hash) {
      // Claimed, so a copy elsewhere counts as a duplicate instead of relinking this row away.
      this.claimedIds.set(existing.id, { path: filePath, hash });
      return { kind: 'unchanged', write: { kind: 'touch', id: existing.id, size, mtimeMs, className }, className, rowId: existing.id };
    }
    const claim = this.claim(hash, filePath, existing?.id);
    if (claim.kind === 'duplicate') return { kind: 'duplicate', path: filePath, duplicateOf: claim.of, contentHash: hash, size, mtimeMs };
    if (claim.kind === 'relink') {
      const image = { ...claim.facts, path: filePath, size, mtimeMs };
      return { kind: 'relinked', write: { kind: 'relink', id: claim.id, image, className }, className, rowId: claim.id };
    }

    let probed;
    try {
      probed = await probeImage(bytes ?? filePath, {
        allowSvg: this.settings.allowSvg,
        maxPixels: this.settings.maxPixels,
        thumbnail: this.settings.thumbnailFor?.(hash),
      });
    } catch (error) {
      this.release(hash, filePath, existing?.id);
      if (error instanceof ProbeRejection) return skipped(filePath, error.message);
      throw error;
    }
    const image: ImageFacts = { path: filePath, size, mtimeMs, contentHash: hash, ...probed };
    if (existing) return { kind: 'updated', write: { kind: 'update', id: existing.id, image, className }, className, rowId: existing.id };
    return { kind: 'added', write: { kind: 'insert', image, className }, className, rowId: null };
  }

  private claim(
    hash: string,
    filePath: string,
    ownId: number | undefined,
  ): { kind: 'new' } | { kind: 'duplicate'; of: string } | { kind: 'relink'; id: number; facts: ImageFacts } {
    const pendingPath = this.pendingHashes.get(hash);
    if (pendingPath !== undefined) return { kind: 'duplicate', of: pendingPath };
    const rows: HashRow[] = [];
    for (const row of this.byHash.all(hash) as HashRow[]) {
      if (row.id === ownId) continue;
      const taken = this.claimedIds.get(row.id);
      if (taken === undefined) rows.push(row);
      // A row taken earlier in this run keeps these bytes at its new path (a committed relink
      // or refresh): a duplicate of that. A row being updated to other bytes is no match.
      else if (taken.hash === hash) return { kind: 'duplicate', of: taken.path };
    }
    for (const row of rows) {
      // A path that already has its own row cannot take over another one; it is refreshed instead.
      if (ownId === undefined && !rowStillAtPath(row)) {
        this.pendingHashes.set(hash, filePath);
        this.claimedIds.set(row.id, { path: filePath, hash });
        return { kind: 'relink', id: row.id, facts: this.factsOf(row.id) };
      }
    }
    const present = ownId === undefined ? rows : rows.filter(rowStillAtPath);
    if (present.length > 0) return { kind: 'duplicate', of: present[0]!.path };
    this.pendingHashes.set(hash, filePath);
    if (ownId !== undefined) this.claimedIds.set(ownId, { path: filePath, hash });
    return { kind: 'new' };
  }

  /** True when no other file of this run has taken the row. */
  private mayTake(id: number, filePath: string): boolean {
    const taken = this.claimedIds.get(id);
    return taken === undefined || taken.path === filePath;
  }

  private release(hash: string, filePath: string, ownId: number | undefined): void {
    if (this.pendingHashes.get(hash) === filePath) this.pendingHashes.delete(hash);
    if (ownId !== undefined && this.claimedIds.get(ownId)?.path === filePath) this.claimedIds.delete(ownId);
  }

  private factsOf(id: number): ImageFacts {
    return this.db
      .prepare('SELECT path, size, mtime_ms AS mtimeMs, width, height, content_hash AS contentHash, format FROM images WHERE id = ?')
      .get(id) as ImageFacts;
  }
}

/**
 * True when a row's file is still where the row says, unchanged. A synchronous stat is
 * deliberate: it keeps the claim step atomic, and it only runs when a hash matches.
 */
export function stillAtPath(filePath: string, size: number, mtimeMs: number): boolean {
  try {
    const stats = fs.statSync(filePath);
    return stats.isFile() && stats.size === size && Math.floor(stats.mtimeMs) === mtimeMs;
  } catch (error) {
    // Unreadable is not gone: a folder without permission still holds the photo.
    return errnoCode(error) === 'EACCES' || errnoCode(error) === 'EPERM';
  }
}

function rowStillAtPath(row: HashRow): boolean {
  return stillAtPath(row.path, row.size, row.mtime_ms);
}

function skipped(filePath: string, reason: string): FileOutcome {
  return { kind: 'skipped', path: filePath, reason };
}
