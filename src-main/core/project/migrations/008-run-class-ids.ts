import type { Migration } from './migration';

/**
 * A run records its classes by name (its checkpoints, exports and reports keep those names),
 * so once a class is renamed its predictions no longer met the project's class. Runs now also
 * record the class ids they started with (`class_ids`, JSON, one per class, null where the
 * class had no id), and the view `training_run_classes` says which project class each run
 * class is now: the class of the recorded id while it exists, else the class of the same name
 * unless another of the run's classes holds that class by id (a class deleted and made again
 * under its name finds its run classes, as suggestions do). `name` is that class's name now,
 * else the run's own name when no class has it (the class is gone), else null (another class
 * took that name). Runs recorded before this step get ids by name as the project stands now.
 */
export const runClassIds: Migration = {
  version: 8,
  name: 'run-class-ids',
  up(db) {
    db.exec(`
      ALTER TABLE training_runs ADD COLUMN class_ids TEXT;

      UPDATE training_runs SET class_ids = (
        SELECT json_group_array(id) FROM (
          SELECT c.id FROM json_each(training_runs.classes) n LEFT JOIN classes c ON c.name = n.value ORDER BY n.key
        )
      );

      CREATE VIEW training_run_classes AS
      WITH recorded AS (
        SELECT r.id AS run_id, n.key AS idx, n.value AS run_name, c.id AS class_id
        FROM training_runs r
        JOIN json_each(r.classes) n
        LEFT JOIN classes c ON c.id = json_extract(r.class_ids, '$[' || n.key || ']')
      ),
      matched AS (
        SELECT rc.run_id, rc.idx, rc.run_name,
               COALESCE(rc.class_id, (
                 SELECT c.id FROM classes c
                 WHERE c.name = rc.run_name
                   AND NOT EXISTS (SELECT 1 FROM recorded o WHERE o.run_id = rc.run_id AND o.class_id = c.id)
               )) AS class_id
        FROM recorded rc
      )
      SELECT m.run_id, m.idx, m.run_name, m.class_id,
             CASE
               WHEN m.class_id IS NOT NULL THEN (SELECT c.name FROM classes c WHERE c.id = m.class_id)
               WHEN NOT EXISTS (SELECT 1 FROM classes c WHERE c.name = m.run_name) THEN m.run_name
             END AS name
      FROM matched m;
    `);
  },
};
