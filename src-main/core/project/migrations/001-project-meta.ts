import type { Migration } from './migration';

/** The project's own key/value facts (name, creation time, app version that created it). */
export const projectMeta: Migration = {
  version: 1,
  name: 'project-meta',
  up(db) {
    db.exec(`
      CREATE TABLE project_meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `);
  },
};
