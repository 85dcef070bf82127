import path from 'node:path';
import type { Database, Statement } from 'better-sqlite3';
import { nextClassColor } from './classes';
import type { ImageRecord } from '../../api/types/library';

/** A probed file ready to become (or refresh) an image row. */
export type ImageFacts = Pick<ImageRecord, 'path' | 'size' | 'mtimeMs' | 'width' | 'height' | 'contentHash' | 'format'>;

/** One change the import wants in the database. */
export type ImportWrite =
  | { kind: 'insert'; image: ImageFacts; className: string | null }
  | { kind: 'update'; id: number; image: ImageFacts; className: string | null }
  | { kind: 'relink'; id: number; image: ImageFacts; className: string | null }
  /** Same bytes, new size/mtime or back from missing. */
  | { kind: 'touch'; id: number; size: number; mtimeMs: number; className: string | null }
  | { kind: 'label'; id: number; className: string }
  /** The row's photo is better kept at another of its copies (see duplicate-preference.ts). */
  | { kind: 'move'; id: number; path: string; size: number; mtimeMs: number }
  /**
   * Sets the class the row's folders give it after all: replaces or removes a label this run
   * gave it, labels it if unlabelled; a label the user gave stays.
   */
  | { kind: 'folderLabel'; id: number; className: string | null }
  /** Removes the classes this run created that ended up with no photo. */
  | { kind: 'dropEmptyClasses' }
  | { kind: 'issue'; issue: 'skipped' | 'duplicate'; path: string; reason: string };

/**
 * An insert that found, when its batch was committed, a row another process had written
 * meanwhile: the same path (the file is in the library already) or the same bytes elsewhere
 * (a duplicate). Only possible without the import lock (see import-lock.ts); reported so the
 * summary stays true.
 */
export type Demotion =
  | { kind: 'existing'; path: string; id: number; changed: boolean; className: string | null }
  | { kind: 'duplicate'; path: string; duplicateOf: string; className: string | null };

/**
 * Collects import changes and writes them in batches, one transaction per batch: a batch is
 * in the database whole or not at all, so a cancel or a crash leaves complete rows only.
 */
export class ImportWriter {
  private pending: ImportWrite[] = [];
  /** Rows above this id were written after the run began: by this run, or by another process. */
  private readonly startMaxId: number;
  private readonly ownIds = new Set<number>();
  private lastFlush = Date.now();
  private readonly classIds = new Map<string, number>();
  /** Labels this run gave (image id → class name): only these may a later folderLabel change. */
  private readonly runLabels = new Map<number, string>();
  /** Classes this run created, so the ones left empty can go again. */
  private readonly createdClasses = new Set<number>();
  private readonly stmts: Record<
    | 'insert'
    | 'update'
    | 'relink'
    | 'touch'
    | 'label'
    | 'labelled'
    | 'labelName'
    | 'unlabel'
    | 'move'
    | 'issue'
    | 'classInsert'
    | 'classId'
    | 'dropClass'
    | 'atPath'
    | 'sameBytes',
    Statement
  >;
  private readonly writeBatch: (writes: readonly ImportWrite[], demoted: Demotion[]) => number[];

  constructor(
    private readonly db: Database,
    private readonly runId: number,
    private readonly options: {
      batchSize: number;
      maxBatchMs: number;
      /** Told about each committed batch with the ids of the rows it touched (new ones included). */
      onCommitted: (writes: readonly ImportWrite[], ids: readonly number[]) => void;
      /** Told about each insert that became something else at commit (see Demotion). */
      onDemoted?: (demotion: Demotion) => void;
    },
  ) {
    this.startMaxId = (db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM images').get() as { id: number }).id;
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO images (path, file_name, size, mtime_ms, width, height, content_hash, format, added_at)
         VALUES (@path, @fileName, @size, @mtimeMs, @width, @height, @contentHash, @format, @now)`,
      ),
      update: db.prepare(
        `UPDATE images SET size = @size, mtime_ms = @mtimeMs, width = @width, height = @height,
           content_hash = @contentHash, format = @format, missing = 0 WHERE id = @id`,
      ),
      relink: db.prepare(
        `UPDATE images SET path = @path, file_name = @fileName, size = @size, mtime_ms = @mtimeMs, missing = 0 WHERE id = @id`,
      ),
      touch: db.prepare('UPDATE images SET size = ?, mtime_ms = ?, missing = 0 WHERE id = ?'),
      // Folder names never override a label the user gave.
      label: db.prepare('INSERT OR IGNORE INTO labels (image_id, class_id, labelled_at) VALUES (?, ?, ?)'),
      labelled: db.prepare('SELECT 1 FROM labels WHERE image_id = ?'),
      labelName: db.prepare('SELECT c.name FROM labels l JOIN classes c ON c.id = l.class_id WHERE l.image_id = ?'),
      unlabel: db.prepare('DELETE FROM labels WHERE image_id = ?'),
      // OR IGNORE: only an import running without the lock can have given that path a row meanwhile.
      move: db.prepare('UPDATE OR IGNORE images SET path = ?, file_name = ?, size = ?, mtime_ms = ?, missing = 0 WHERE id = ?'),
      issue: db.prepare('INSERT INTO import_issues (run_id, kind, path, reason) VALUES (?, ?, ?, ?)'),
      classInsert: db.prepare(
        `INSERT INTO classes (name, color, sort_order, created_at)
         VALUES (@name, @color, (SELECT COALESCE(MAX(sort_order) + 1, 0) FROM classes), @now)
         ON CONFLICT (name) DO NOTHING`,
      ),
      classId: db.prepare('SELECT id FROM classes WHERE name = ?'),
      dropClass: db.prepare('DELETE FROM classes WHERE id = ? AND NOT EXISTS (SELECT 1 FROM labels WHERE class_id = ?)'),
      atPath: db.prepare('SELECT id, content_hash AS hash FROM images WHERE path = ? AND id > ?'),
      sameBytes: db.prepare('SELECT id, path FROM images WHERE content_hash = ? AND missing = 0 AND id > ? ORDER BY id'),
    };
    this.writeBatch = db.transaction((writes: readonly ImportWrite[], demoted: Demotion[]) => this.apply(writes, demoted));
  }

  /** Queues a change; writes the batch when it is full or old enough. */
  add(write: ImportWrite): void {
    this.pending.push(write);
    if (this.pending.length >= this.options.batchSize || Date.now() - this.lastFlush >= this.options.maxBatchMs) this.flush();
  }

  /** Writes everything queued, in one transaction. */
  flush(): void {
    this.lastFlush = Date.now();
    if (this.pending.length === 0) return;
    const writes = this.pending;
    this.pending = [];
    const demoted: Demotion[] = [];
    const ids = this.writeBatch(writes, demoted);
    this.options.onCommitted(writes, ids);
    for (const demotion of demoted) this.options.onDemoted?.(demotion);
  }

  private apply(writes: readonly ImportWrite[], demoted: Demotion[]): number[] {
    // Class ids are cached for one batch only: between batches the user may delete, merge or
    // undo a class, and a stale id would fail the batch on its foreign key.
    this.classIds.clear();
    const now = new Date().toISOString();
    const ids: number[] = [];
    for (const write of writes) {
      switch (write.kind) {
        case 'insert': {
          const id = this.insertUnlessForeign(write, now, demoted);
          if (id === null) break;
          ids.push(id);
          this.applyLabel(id, write.className, now);
          break;
        }
        case 'update':
          this.stmts.update.run({ ...write.image, id: write.id });
          ids.push(write.id);
          this.applyLabel(write.id, write.className, now);
          break;
        case 'relink':
          this.stmts.relink.run({ ...write.image, fileName: path.basename(write.image.path), id: write.id });
          ids.push(write.id);
          this.applyLabel(write.id, write.className, now);
          break;
        case 'touch':
          this.stmts.touch.run(write.size, write.mtimeMs, write.id);
          ids.push(write.id);
          this.applyLabel(write.id, write.className, now);
          break;
        case 'label':
          ids.push(write.id);
          this.applyLabel(write.id, write.className, now);
          break;
        case 'move':
          this.stmts.move.run(write.path, path.basename(write.path), write.size, write.mtimeMs, write.id);
          ids.push(write.id);
          break;
        case 'folderLabel':
          this.applyFolderLabel(write.id, write.className, now);
          break;
        case 'dropEmptyClasses':
          for (const id of this.createdClasses) this.stmts.dropClass.run(id, id);
          this.createdClasses.clear();
          break;
        case 'issue':
          this.stmts.issue.run(this.runId, write.issue, write.path, write.reason);
          break;
      }
    }
    return ids;
  }

  /**
   * Inserts a new row, unless another process wrote one for this path or these bytes after the
   * run began: inside this transaction that check cannot race. Returns the row id to label,
   * or null for a duplicate.
   */
  private insertUnlessForeign(write: Extract<ImportWrite, { kind: 'insert' }>, now: string, demoted: Demotion[]): number | null {
    const { image, className } = write;
    const foreign = (row: { id: number }) => !this.ownIds.has(row.id);
    const atPath = (this.stmts.atPath.all(image.path, this.startMaxId) as { id: number; hash: string }[]).find(foreign);
    if (atPath) {
      const changed = atPath.hash !== image.contentHash;
      if (changed) this.stmts.update.run({ ...image, id: atPath.id });
      demoted.push({ kind: 'existing', path: image.path, id: atPath.id, changed, className });
      return atPath.id;
    }
    const twin = (this.stmts.sameBytes.all(image.contentHash, this.startMaxId) as { id: number; path: string }[]).find(foreign);
    if (twin) {
      this.stmts.issue.run(this.runId, 'duplicate', image.path, twin.path);
      demoted.push({ kind: 'duplicate', path: image.path, duplicateOf: twin.path, className });
      return null;
    }
    const id = Number(this.stmts.insert.run({ ...image, fileName: path.basename(image.path), now }).lastInsertRowid);
    this.ownIds.add(id);
    return id;
  }

  private applyLabel(imageId: number, className: string | null, now: string): void {
    if (className === null) return;
    // Checked first so a re-import does not create folder classes that would stay empty.
    if (this.stmts.labelled.get(imageId)) return;
    if (this.stmts.label.run(imageId, this.classId(className, now), now).changes > 0) this.runLabels.set(imageId, className);
  }

  private applyFolderLabel(imageId: number, className: string | null, now: string): void {
    const current = (this.stmts.labelName.get(imageId) as { name: string } | undefined)?.name;
    const given = this.runLabels.get(imageId);
    // A label that is not the one this run gave is the user's (given before, or during the import).
    if (current !== undefined && current !== given) return;
    if (current === className) return;
    if (current !== undefined) {
      this.stmts.unlabel.run(imageId);
      this.runLabels.delete(imageId);
    }
    this.applyLabel(imageId, className, now);
  }

  private classId(name: string, now: string): number {
    const known = this.classIds.get(name);
    if (known !== undefined) return known;
    const created = this.stmts.classInsert.run({ name, color: nextClassColor(this.db), now }).changes > 0;
    const id = (this.stmts.classId.get(name) as { id: number }).id;
    if (created) this.createdClasses.add(id);
    this.classIds.set(name, id);
    return id;
  }
}
