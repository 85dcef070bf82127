import type { Migration } from './migration';

/**
 * Training runs (named apart from the import log's `import_runs`): the config, the dataset
 * snapshot, the metric history per epoch and sampled per batch, checkpoints, evaluations
 * and per-image predictions. What the engine's events say, recorded by the main side.
 */
export const trainingRuns: Migration = {
  version: 4,
  name: 'training-runs',
  up(db) {
    db.exec(`
      CREATE TABLE training_runs (
        id              INTEGER PRIMARY KEY,
        name            TEXT    NOT NULL,
        status          TEXT    NOT NULL CHECK (status IN ('running', 'completed', 'stopped-early', 'cancelled', 'failed')),
        config          TEXT    NOT NULL,
        classes         TEXT    NOT NULL,
        folder          TEXT    NOT NULL,
        created_at      TEXT    NOT NULL,
        finished_at     TEXT,
        backend         TEXT,
        runtime         TEXT,
        seconds         REAL,
        best_epoch      INTEGER,
        best_val_acc    REAL,
        best_val_loss   REAL,
        checkpoint_best TEXT,
        checkpoint_last TEXT,
        cache_hits      INTEGER,
        cache_misses    INTEGER,
        cache_bytes     INTEGER,
        error           TEXT,
        -- The process training it while running: a run whose process is gone was interrupted.
        owner_pid       INTEGER
      ) STRICT;

      -- The snapshot: no foreign key on image_id, so deleting an image never rewrites a run.
      CREATE TABLE training_run_images (
        run_id       INTEGER NOT NULL REFERENCES training_runs (id) ON DELETE CASCADE,
        image_id     INTEGER NOT NULL,
        content_hash TEXT    NOT NULL,
        path         TEXT    NOT NULL,
        label        INTEGER NOT NULL,
        split        TEXT    NOT NULL CHECK (split IN ('train', 'validation', 'test')),
        PRIMARY KEY (run_id, image_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE training_run_epochs (
        run_id    INTEGER NOT NULL REFERENCES training_runs (id) ON DELETE CASCADE,
        epoch     INTEGER NOT NULL,
        stage     TEXT    NOT NULL,
        loss      REAL    NOT NULL,
        acc       REAL    NOT NULL,
        val_loss  REAL,
        val_acc   REAL,
        lr        REAL    NOT NULL,
        seconds   REAL    NOT NULL,
        PRIMARY KEY (run_id, epoch)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE training_run_batches (
        run_id  INTEGER NOT NULL REFERENCES training_runs (id) ON DELETE CASCADE,
        step    INTEGER NOT NULL,
        epoch   INTEGER NOT NULL,
        batch   INTEGER NOT NULL,
        loss    REAL    NOT NULL,
        acc     REAL    NOT NULL,
        lr      REAL    NOT NULL,
        PRIMARY KEY (run_id, step)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE training_run_evaluations (
        id         INTEGER PRIMARY KEY,
        run_id     INTEGER NOT NULL REFERENCES training_runs (id) ON DELETE CASCADE,
        split      TEXT    NOT NULL CHECK (split IN ('train', 'validation', 'test')),
        checkpoint TEXT    NOT NULL CHECK (checkpoint IN ('best', 'last')),
        report     TEXT    NOT NULL,
        created_at TEXT    NOT NULL
      ) STRICT;
      CREATE INDEX training_run_evaluations_run ON training_run_evaluations (run_id);

      -- probabilities: float32 little-endian, one per class in the run's class order.
      CREATE TABLE training_run_predictions (
        evaluation_id INTEGER NOT NULL REFERENCES training_run_evaluations (id) ON DELETE CASCADE,
        image_id      INTEGER NOT NULL,
        predicted     INTEGER NOT NULL,
        probability   REAL    NOT NULL,
        loss          REAL    NOT NULL,
        probabilities BLOB    NOT NULL,
        PRIMARY KEY (evaluation_id, image_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX training_run_predictions_loss ON training_run_predictions (evaluation_id, loss DESC);
    `);
  },
};
