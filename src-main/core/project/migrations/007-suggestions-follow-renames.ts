import type { Migration } from './migration';

/**
 * Suggestions and imported models' class maps name project classes by name (so a suggestion
 * outlives class ids: a class deleted and made again finds its suggestions). Renaming a class
 * must then carry those names along, or every pending suggestion of the class loses it. The
 * rule lives in the schema, like the hotkey rule of migration 6, so a rename, its undo and its
 * redo all follow it.
 */
export const suggestionsFollowRenames: Migration = {
  version: 7,
  name: 'suggestions-follow-renames',
  up(db) {
    db.exec(`
      CREATE TRIGGER classes_rename_follows AFTER UPDATE OF name ON classes WHEN NEW.name IS NOT OLD.name
      BEGIN
        UPDATE suggestions SET class_name = NEW.name WHERE class_name = OLD.name;
        UPDATE imported_models
          SET class_map = (
            SELECT json_group_object(j.key, CASE WHEN j.value = OLD.name THEN NEW.name ELSE j.value END)
            FROM json_each(imported_models.class_map) j
          )
          WHERE EXISTS (SELECT 1 FROM json_each(imported_models.class_map) j WHERE j.value = OLD.name);
      END;
    `);
  },
};
