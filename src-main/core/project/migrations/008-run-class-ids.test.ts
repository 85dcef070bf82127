import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createProject, openProject } from '../project';
import { MIGRATIONS } from './index';

let dir = '';
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('migration 008: run class ids', () => {
  it("gives runs recorded before it the ids of the classes of their names now (none for a class gone), and the view follows renames from then on", () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-008-'));
    const old = createProject(dir, { migrations: MIGRATIONS.filter((m) => m.version < 8) });
    const addClass = old.db.prepare("INSERT INTO classes (name, color, sort_order, created_at) VALUES (?, '#000000', ?, 'then')");
    const b = Number(addClass.run('b', 0).lastInsertRowid);
    const a = Number(addClass.run('a', 1).lastInsertRowid);
    old.db
      .prepare(`INSERT INTO training_runs (name, status, config, classes, folder, created_at) VALUES ('Run 1', 'completed', '{}', '["a","gone","b"]', 'run-0001', 'then')`)
      .run();
    old.dispose();

    const project = openProject(dir);
    try {
      expect(project.db.prepare('SELECT class_ids FROM training_runs').pluck().get()).toBe(JSON.stringify([a, null, b]));
      project.db.prepare("UPDATE classes SET name = 'renamed' WHERE id = ?").run(a);
      expect(project.db.prepare('SELECT idx, run_name AS runName, class_id AS classId, name FROM training_run_classes ORDER BY idx').all()).toEqual([
        { idx: 0, runName: 'a', classId: a, name: 'renamed' },
        { idx: 1, runName: 'gone', classId: null, name: 'gone' },
        { idx: 2, runName: 'b', classId: b, name: 'b' },
      ]);
    } finally {
      project.dispose();
    }
  });
});
