import type { Migration } from './migration';

/**
 * Using trained models: models imported into the project (an export re-opened, or a Keras
 * classifier from elsewhere) and the suggestions a model made for the library's images
 * (pre-labels; scores of labelled images for the likely-errors filter).
 */
export const useTheModel: Migration = {
  version: 5,
  name: 'use-the-model',
  up(db) {
    db.exec(`
      -- path: relative to the project folder when copied into models/, else absolute.
      -- classes, class_map (model class → project class), preprocessing, assumptions: JSON.
      CREATE TABLE imported_models (
        id            INTEGER PRIMARY KEY,
        name          TEXT    NOT NULL,
        format        TEXT    NOT NULL CHECK (format IN ('tfjs', 'onnx', 'keras', 'h5')),
        path          TEXT    NOT NULL,
        copied        INTEGER NOT NULL CHECK (copied IN (0, 1)),
        classes       TEXT    NOT NULL,
        class_map     TEXT    NOT NULL,
        preprocessing TEXT    NOT NULL,
        assumptions   TEXT    NOT NULL,
        source_path   TEXT    NOT NULL,
        created_at    TEXT    NOT NULL
      ) STRICT;

      -- One suggestion per image, from a run's checkpoint or an imported model (deleting
      -- either deletes its suggestions). The class is kept by name: a suggestion outlives
      -- class ids. label_class_id / label_loss: the image's label when it was scored and
      -- −log p(that label), for the likely-errors filter; NULL for unlabelled images.
      CREATE TABLE suggestions (
        image_id       INTEGER PRIMARY KEY REFERENCES images (id) ON DELETE CASCADE,
        run_id         INTEGER REFERENCES training_runs (id) ON DELETE CASCADE,
        checkpoint     TEXT    CHECK (checkpoint IN ('best', 'last')),
        model_id       INTEGER REFERENCES imported_models (id) ON DELETE CASCADE,
        class_name     TEXT    NOT NULL,
        probability    REAL    NOT NULL,
        margin         REAL    NOT NULL,
        entropy        REAL    NOT NULL,
        label_class_id INTEGER,
        label_loss     REAL,
        status         TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'rejected')),
        created_at     TEXT    NOT NULL,
        CHECK ((run_id IS NULL) <> (model_id IS NULL))
      ) STRICT;
      CREATE INDEX suggestions_margin ON suggestions (margin, image_id);
      CREATE INDEX suggestions_entropy ON suggestions (entropy, image_id);
      CREATE INDEX suggestions_run ON suggestions (run_id);
      CREATE INDEX suggestions_model ON suggestions (model_id);

      -- The likely-errors filter looks up each image's latest evaluated prediction.
      CREATE INDEX training_run_predictions_image ON training_run_predictions (image_id, evaluation_id);
    `);
  },
};
