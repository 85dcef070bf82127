import type { Migration } from './migration';

/**
 * A training run records its owner's start time beside its pid (as the project locks do), so
 * a run whose process died is told from a later process that was given the same pid: by pid
 * alone such a run stayed "running" for as long as the stranger lived. Runs recorded before
 * have none and are checked by pid as before.
 */
export const runOwnerStart: Migration = {
  version: 9,
  name: 'run-owner-start',
  up(db) {
    db.exec('ALTER TABLE training_runs ADD COLUMN owner_started TEXT');
  },
};
