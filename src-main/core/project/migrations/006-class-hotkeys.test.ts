import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createProject, openProject } from '../project';
import { MIGRATIONS } from './index';

let dir = '';
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('migration 006: class hotkeys', () => {
  it('gives an existing project keys 1–9 in its current class order, none past the ninth, and the lowest free key to new classes', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-006-'));
    const before = MIGRATIONS.filter((m) => m.version < 6);
    const old = createProject(dir, { migrations: before });
    // Sort order not in id order, as a reorder leaves it.
    const insert = old.db.prepare("INSERT INTO classes (name, color, sort_order, created_at) VALUES (?, '#000000', ?, 'then')");
    for (let i = 0; i < 11; i++) insert.run(`c${i}`, (i * 7) % 11);
    old.dispose();

    const project = openProject(dir);
    try {
      const rows = project.db.prepare('SELECT name, hotkey FROM classes ORDER BY sort_order').all() as { name: string; hotkey: number | null }[];
      expect(rows.map((r) => r.hotkey)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, null, null]);
      expect(rows[0]!.name).toBe('c0');
      expect(rows[1]!.name).toBe('c8');
      project.db.prepare('DELETE FROM classes WHERE hotkey = 4').run();
      project.db.prepare("INSERT INTO classes (name, color, sort_order, created_at) VALUES ('new', '#000000', 99, 'now')").run();
      expect(project.db.prepare("SELECT hotkey FROM classes WHERE name = 'new'").get()).toEqual({ hotkey: 4 });
      project.db.prepare("INSERT INTO classes (name, color, sort_order, created_at) VALUES ('newer', '#000000', 100, 'now')").run();
      expect(project.db.prepare("SELECT hotkey FROM classes WHERE name = 'newer'").get()).toEqual({ hotkey: null });
      expect(() => project.db.prepare('UPDATE classes SET hotkey = 1 WHERE hotkey = 2').run()).toThrow(/UNIQUE/);
      expect(() => project.db.prepare("UPDATE classes SET hotkey = 10 WHERE name = 'newer'").run()).toThrow(/CHECK/);
    } finally {
      project.dispose();
    }
  });
});
