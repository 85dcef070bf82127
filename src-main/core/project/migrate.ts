import type { Database } from 'better-sqlite3';
import { GraftError } from '../../api/errors';
import type { Migration } from './migrations/migration';

/** Outcome of bringing a database to the latest schema. */
export interface MigrationResult {
  from: number;
  to: number;
  applied: string[];
}

/** Reads the schema version stored in the database (0 for a new file). */
export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies the migrations the database lacks, each in its own transaction, recording each
 * in `schema_migrations`. A database newer than this app is refused untouched. Safe when
 * another process migrates the same file at the same time: each step takes the write lock
 * first and reads the version again under it, skipping a step already applied.
 */
export function migrate(db: Database, migrations: readonly Migration[]): MigrationResult {
  checkMigrationList(migrations);
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  const from = schemaVersion(db);
  if (from > latest) {
    throw new GraftError(
      'schema-too-new',
      `This project was saved by a newer Graft (schema ${from}; this app knows up to ${latest}). ` +
        'Update Graft to open it; the project was not changed.',
      { from, latest },
    );
  }
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied: string[] = [];
  const step = db.transaction((migration: Migration): boolean => {
    if (schemaVersion(db) >= migration.version) return false;
    migration.up(db);
    record.run(migration.version, migration.name, new Date().toISOString());
    db.pragma(`user_version = ${migration.version}`);
    return true;
  });
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    // BEGIN IMMEDIATE: wait for a migrating process's write lock (busy_timeout), then re-read.
    if (step.immediate(migration)) applied.push(migration.name);
  }
  return { from, to: Math.max(from, latest), applied };
}

function checkMigrationList(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
}
