import path from 'node:path';
import type { Database, Statement } from 'better-sqlite3';
import { paletteColor } from './class-colors';
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
  | { kind: 'issue'; issue: 'skipped' | 'duplicate'; path: string; reason: string };

/**
 * Collects import changes and writes them in batches, one transaction per batch: a batch is
 * in the database whole or not at all, so a cancel or a crash leaves complete rows only.
 */
export class ImportWriter {
  private pending: ImportWrite[] = [];
  private lastFlush = Date.now();
  private readonly classIds = new Map<string, number>();
  private readonly stmts: Record<
    'insert' | 'update' | 'relink' | 'touch' | 'label' | 'labelled' | 'issue' | 'classInsert' | 'classId',
    Statement
  >;
  private readonly writeBatch: (writes: readonly ImportWrite[]) => number[];

  constructor(
    private readonly db: Database,
    private readonly runId: number,
    private readonly options: {
      batchSize: number;
      maxBatchMs: number;
      /** Told about each committed batch with the ids of the rows it touched (new ones included). */
      onCommitted: (writes: readonly ImportWrite[], ids: readonly number[]) => void;
    },
  ) {
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
      issue: db.prepare('INSERT INTO import_issues (run_id, kind, path, reason) VALUES (?, ?, ?, ?)'),
      classInsert: db.prepare(
        `INSERT INTO classes (name, color, sort_order, created_at)
         VALUES (@name, @color, (SELECT COALESCE(MAX(sort_order) + 1, 0) FROM classes), @now)
         ON CONFLICT (name) DO NOTHING`,
      ),
      classId: db.prepare('SELECT id FROM classes WHERE name = ?'),
    };
    this.writeBatch = db.transaction((writes: readonly ImportWrite[]) => this.apply(writes));
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
    const ids = this.writeBatch(writes);
    this.options.onCommitted(writes, ids);
  }

  private apply(writes: readonly ImportWrite[]): number[] {
    // Class ids are cached for one batch only: between batches the user may delete, merge or
    // undo a class, and a stale id would fail the batch on its foreign key.
    this.classIds.clear();
    const now = new Date().toISOString();
    const ids: number[] = [];
    for (const write of writes) {
      switch (write.kind) {
        case 'insert': {
          const id = Number(this.stmts.insert.run({ ...write.image, fileName: path.basename(write.image.path), now }).lastInsertRowid);
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
        case 'issue':
          this.stmts.issue.run(this.runId, write.issue, write.path, write.reason);
          break;
      }
    }
    return ids;
  }

  private applyLabel(imageId: number, className: string | null, now: string): void {
    if (className === null) return;
    // Checked first so a re-import does not create folder classes that would stay empty.
    if (this.stmts.labelled.get(imageId)) return;
    this.stmts.label.run(imageId, this.classId(className, now), now);
  }

  private classId(name: string, now: string): number {
    const known = this.classIds.get(name);
    if (known !== undefined) return known;
    const count = (this.db.prepare('SELECT COUNT(*) AS n FROM classes').get() as { n: number }).n;
    this.stmts.classInsert.run({ name, color: paletteColor(count), now });
    const id = (this.stmts.classId.get(name) as { id: number }).id;
    this.classIds.set(name, id);
    return id;
  }
}
