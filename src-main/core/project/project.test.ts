import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from './migrate';
import { createProject, openProject } from './project';
import { MIGRATIONS } from './migrations';
import type { Migration } from './migrations/migration';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-project-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const latest = MIGRATIONS.length;

describe('projects', () => {
  it('creates the folder layout and a WAL database with foreign keys and the schema version', () => {
    const project = createProject(path.join(dir, 'birds'));
    try {
      for (const sub of ['thumbnails', 'runs', 'exports']) expect(fs.statSync(path.join(dir, 'birds', sub)).isDirectory()).toBe(true);
      expect(project.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(project.db.pragma('foreign_keys', { simple: true })).toBe(1);
      const info = project.info();
      expect(info).toMatchObject({ name: 'birds', schemaVersion: latest });
      expect(Date.parse(info.createdAt)).not.toBeNaN();
      const recorded = project.db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
      expect(recorded).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      project.dispose();
    }
  });

  it('refuses to create over an existing project and to open a folder that is not one', () => {
    createProject(dir).dispose();
    expect(() => createProject(dir)).toThrow(expect.objectContaining({ code: 'project-exists' }));
    expect(() => openProject(path.join(dir, 'nothing'))).toThrow(expect.objectContaining({ code: 'not-a-project' }));
  });

  it('migrates an older project forward, keeping its data', () => {
    const v1Only = MIGRATIONS.slice(0, 1);
    createProject(dir, { migrations: v1Only }).dispose();
    const extra: Migration = { version: latest + 1, name: 'test-extra', up: (db) => db.exec('CREATE TABLE extra (x INTEGER) STRICT') };
    const project = openProject(dir, { migrations: [...MIGRATIONS, extra] });
    try {
      expect(project.info().schemaVersion).toBe(latest + 1);
      expect(project.info().name).toBe(path.basename(dir));
      expect(project.db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra'").get()).toBeTruthy();
    } finally {
      project.dispose();
    }
  });

  it('refuses a project saved by a newer Graft and leaves it untouched', () => {
    createProject(dir).dispose();
    const raw = new Database(path.join(dir, 'graft.db'));
    raw.pragma(`user_version = ${latest + 5}`);
    raw.close();
    const before = fs.readFileSync(path.join(dir, 'graft.db'));
    expect(() => openProject(dir)).toThrow(expect.objectContaining({ code: 'schema-too-new', message: expect.stringMatching(/newer Graft.*Update Graft/) }));
    expect(fs.readFileSync(path.join(dir, 'graft.db')).equals(before)).toBe(true);
  });

  it('lets two processes open an older project at once: the second skips the steps the first applied', () => {
    createProject(dir, { migrations: MIGRATIONS.slice(0, 1) }).dispose();
    const file = path.join(dir, 'graft.db');
    const first = new Database(file);
    const second = new Database(file);
    try {
      for (const db of [first, second]) db.pragma('busy_timeout = 5000');
      // The first process migrates right after the second has read the old version.
      const readVersion = second.pragma.bind(second);
      let raced = false;
      second.pragma = ((source: string, options?: { simple?: boolean }) => {
        const value = readVersion(source, options);
        if (source === 'user_version' && !raced && !second.inTransaction) {
          raced = true;
          migrate(first, MIGRATIONS);
        }
        return value;
      }) as typeof second.pragma;
      const result = migrate(second, MIGRATIONS);
      expect(raced).toBe(true);
      expect(result).toMatchObject({ from: 1, to: latest, applied: [] });
      expect(second.pragma('user_version', { simple: true })).toBe(latest);
      expect(second.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      first.close();
      second.close();
    }
  });

  it('rolls back a failing migration and keeps the previous version', () => {
    createProject(dir, { migrations: MIGRATIONS.slice(0, 1) }).dispose();
    const broken: Migration = {
      version: 2,
      name: 'broken',
      up: (db) => {
        db.exec('CREATE TABLE half_done (x INTEGER)');
        throw new Error('disk on fire');
      },
    };
    expect(() => openProject(dir, { migrations: [MIGRATIONS[0]!, broken] })).toThrow(/disk on fire/);
    const raw = new Database(path.join(dir, 'graft.db'));
    expect(raw.pragma('user_version', { simple: true })).toBe(1);
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
    raw.close();
  });

  it('reports a corrupt database file clearly', () => {
    fs.writeFileSync(path.join(dir, 'graft.db'), 'this is not sqlite at all, just text padding '.repeat(200));
    expect(() => openProject(dir)).toThrow(expect.objectContaining({ code: 'io', message: expect.stringContaining('Cannot read the project database') }));
  });
});
