import type { Migration } from './migration';

/**
 * The photo library: imported images, label classes, labels, dataset splits, the import log
 * and the undo journal for label operations.
 */
export const library: Migration = {
  version: 2,
  name: 'library',
  up(db) {
    db.exec(`
      CREATE TABLE images (
        id           INTEGER PRIMARY KEY,
        path         TEXT    NOT NULL UNIQUE,
        file_name    TEXT    NOT NULL,
        size         INTEGER NOT NULL,
        mtime_ms     INTEGER NOT NULL,
        width        INTEGER NOT NULL,
        height       INTEGER NOT NULL,
        content_hash TEXT    NOT NULL,
        format       TEXT    NOT NULL,
        added_at     TEXT    NOT NULL,
        missing      INTEGER NOT NULL DEFAULT 0 CHECK (missing IN (0, 1))
      ) STRICT;
      -- Duplicate detection and relinking look images up by content.
      CREATE INDEX images_content_hash ON images (content_hash);
      -- Name ordering, and a narrow index to scan for filename substrings.
      CREATE INDEX images_file_name ON images (file_name);
      CREATE INDEX images_missing ON images (id) WHERE missing = 1;

      -- AUTOINCREMENT so an id freed by a delete is never reused while the journal may restore it.
      CREATE TABLE classes (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        name       TEXT    NOT NULL UNIQUE,
        color      TEXT    NOT NULL,
        sort_order INTEGER NOT NULL,
        created_at TEXT    NOT NULL
      ) STRICT;

      -- One label per image. Deleting a class unlabels its images (the journal keeps them for undo).
      CREATE TABLE labels (
        image_id    INTEGER PRIMARY KEY REFERENCES images (id) ON DELETE CASCADE,
        class_id    INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
        labelled_at TEXT    NOT NULL
      ) STRICT;
      CREATE INDEX labels_class ON labels (class_id, image_id);

      CREATE TABLE splits (
        image_id INTEGER PRIMARY KEY REFERENCES images (id) ON DELETE CASCADE,
        split    TEXT    NOT NULL CHECK (split IN ('train', 'validation', 'test')),
        pinned   INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
        -- The seed of the assignment that placed it; NULL when placed by hand or by a CSV.
        seed     INTEGER
      ) STRICT;
      CREATE INDEX splits_split ON splits (split, image_id);

      CREATE TABLE split_settings (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        train       REAL    NOT NULL,
        validation  REAL    NOT NULL,
        test        REAL    NOT NULL,
        seed        INTEGER NOT NULL,
        assigned_at TEXT    NOT NULL
      ) STRICT;

      CREATE TABLE import_runs (
        id          INTEGER PRIMARY KEY,
        folder      TEXT    NOT NULL,
        started_at  TEXT    NOT NULL,
        finished_at TEXT,
        status      TEXT    NOT NULL CHECK (status IN ('running', 'done', 'cancelled', 'failed')),
        -- JSON counts (added, unchanged, …) written when the run ends.
        counts      TEXT
      ) STRICT;

      CREATE TABLE import_issues (
        run_id       INTEGER NOT NULL REFERENCES import_runs (id) ON DELETE CASCADE,
        kind         TEXT    NOT NULL CHECK (kind IN ('skipped', 'duplicate')),
        path         TEXT    NOT NULL,
        reason       TEXT    NOT NULL
      ) STRICT;
      CREATE INDEX import_issues_run ON import_issues (run_id);

      -- Undo journal: one entry per label operation; class rows before/after as JSON,
      -- per-image label changes as rows so a 10,000-image bulk edit stays cheap.
      CREATE TABLE label_journal (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        kind       TEXT    NOT NULL,
        summary    TEXT    NOT NULL,
        classes    TEXT    NOT NULL,
        created_at TEXT    NOT NULL,
        undone     INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1))
      ) STRICT;

      -- No foreign keys on image or class ids: the entry must outlive the rows it can restore.
      CREATE TABLE label_journal_items (
        entry_id     INTEGER NOT NULL REFERENCES label_journal (id) ON DELETE CASCADE,
        image_id     INTEGER NOT NULL,
        before_class INTEGER,
        after_class  INTEGER
      ) STRICT;
      CREATE INDEX label_journal_items_entry ON label_journal_items (entry_id);
    `);
  },
};
