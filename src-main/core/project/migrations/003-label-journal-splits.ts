import type { Migration } from './migration';

/**
 * Split changes in the undo journal, so a labels CSV import that pins splits undoes them
 * with its labels. Before and after states per image; NULL split: the image had no split row.
 */
export const labelJournalSplits: Migration = {
  version: 3,
  name: 'label-journal-splits',
  up(db) {
    db.exec(`
      -- No foreign key on image_id, as for label items: the entry outlives the rows it restores.
      CREATE TABLE label_journal_splits (
        entry_id      INTEGER NOT NULL REFERENCES label_journal (id) ON DELETE CASCADE,
        image_id      INTEGER NOT NULL,
        before_split  TEXT,
        before_pinned INTEGER,
        before_seed   INTEGER,
        after_split   TEXT,
        after_pinned  INTEGER,
        after_seed    INTEGER
      ) STRICT;
      CREATE INDEX label_journal_splits_entry ON label_journal_splits (entry_id);
    `);
  },
};
