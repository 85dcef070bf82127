import type { Migration } from './migration';

/**
 * A hotkey (1–9) stored per class, so a class keeps its key when another class is merged,
 * deleted or added, until the user changes it. Existing classes get 1–9 in their current order
 * (the keys they had); classes past the ninth have none and are labelled through the class picker.
 *
 * A class inserted without a key gets the lowest free one, whoever inserts it (the UI, a labels
 * CSV, a folder import, an undo that brings a class back): the rule lives in the schema so no
 * path can forget it. A key is held by one class at most.
 */
export const classHotkeys: Migration = {
  version: 6,
  name: 'class-hotkeys',
  up(db) {
    db.exec(`
      ALTER TABLE classes ADD COLUMN hotkey INTEGER CHECK (hotkey BETWEEN 1 AND 9);
      CREATE UNIQUE INDEX classes_hotkey ON classes (hotkey) WHERE hotkey IS NOT NULL;

      UPDATE classes SET hotkey = (
        SELECT n FROM (
          SELECT id, ROW_NUMBER() OVER (ORDER BY sort_order, id) AS n FROM classes
        ) ranked WHERE ranked.id = classes.id AND n <= 9
      );

      CREATE TRIGGER classes_lowest_free_hotkey AFTER INSERT ON classes WHEN NEW.hotkey IS NULL
      BEGIN
        UPDATE classes SET hotkey = (
          SELECT MIN(k.n) FROM (
            SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5
            UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9
          ) k
          WHERE k.n NOT IN (SELECT hotkey FROM classes WHERE hotkey IS NOT NULL)
        ) WHERE id = NEW.id AND hotkey IS NULL;
      END;
    `);
  },
};
