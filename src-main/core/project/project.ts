import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import type { ProjectInfo } from '../../api/types/app';
import { GraftError } from '../../api/errors';
import type { Disposable } from '../../base/lifecycle';
import { migrate, schemaVersion } from './migrate';
import { MIGRATIONS } from './migrations';
import type { Migration } from './migrations/migration';
import { projectLayout, type ProjectLayout } from './project-layout';
import { ProjectResources } from './project-resources';

/** An open project: its folder layout, its database handle and its per-project resources, owned here. */
export class Project implements Disposable {
  /** Per-project resources (thumbnail queue, import lock …), made on first use and disposed with the project. */
  readonly resources: ProjectResources<Project>;

  constructor(
    readonly layout: ProjectLayout,
    readonly db: Db,
  ) {
    this.resources = new ProjectResources<Project>(this);
  }

  /** Plain-data summary for the UI and the CLI. */
  info(): ProjectInfo {
    const meta = this.db.prepare('SELECT key, value FROM project_meta').all() as { key: string; value: string }[];
    const get = (key: string) => meta.find((row) => row.key === key)?.value ?? '';
    return {
      dir: this.layout.dir,
      name: get('name') || path.basename(this.layout.dir),
      schemaVersion: schemaVersion(this.db),
      createdAt: get('created_at'),
    };
  }

  /** Releases the project's resources, then closes the database (checkpointing the WAL). */
  dispose(): void {
    this.resources.dispose();
    if (this.db.open) this.db.close();
  }
}

/** Options shared by creating and opening, for tests that need other migrations. */
export interface ProjectOptions {
  migrations?: readonly Migration[];
  appVersion?: string;
}

/** Creates a new project folder (or fills an empty existing one) and opens it. */
export function createProject(dir: string, options: ProjectOptions = {}): Project {
  const layout = projectLayout(dir);
  if (fs.existsSync(layout.database)) {
    throw new GraftError('project-exists', `A Graft project already exists in ${layout.dir}. Open it instead.`);
  }
  try {
    for (const folder of [layout.dir, layout.thumbnails, layout.runs, layout.exports]) {
      fs.mkdirSync(folder, { recursive: true });
    }
  } catch (error) {
    throw new GraftError('io', `Cannot create the project folder ${layout.dir}: ${(error as Error).message}`);
  }
  const project = openDatabase(layout, options.migrations ?? MIGRATIONS);
  const insert = project.db.prepare('INSERT OR REPLACE INTO project_meta (key, value) VALUES (?, ?)');
  project.db.transaction(() => {
    insert.run('name', path.basename(layout.dir));
    insert.run('created_at', new Date().toISOString());
    insert.run('created_by', `graft ${options.appVersion ?? 'dev'}`);
  })();
  return project;
}

/** Opens an existing project, migrating an older schema and refusing a newer one. */
export function openProject(dir: string, options: ProjectOptions = {}): Project {
  const layout = projectLayout(dir);
  if (!fs.existsSync(layout.database)) throw notAProject(layout, dir);
  for (const folder of [layout.thumbnails, layout.runs, layout.exports]) fs.mkdirSync(folder, { recursive: true });
  return openDatabase(layout, options.migrations ?? MIGRATIONS);
}

/**
 * Why a folder cannot be opened, and what to do. A folder with files in it is most likely the
 * user's photos: a project belongs in a folder of its own, with the photos imported into it.
 */
function notAProject(layout: ProjectLayout, dir: string): GraftError {
  const quoted = (text: string) => (/^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);
  let entries: string[] | null = null;
  try {
    entries = fs.readdirSync(layout.dir);
  } catch {
    // Missing (or not a folder): nothing there to protect.
  }
  const advice =
    entries === null || entries.length === 0
      ? `Create one there with "graft init ${quoted(dir)}".`
      : `To use the photos in it, make a project in a new folder and import them: "graft init NEW-DIR", then "graft import NEW-DIR ${quoted(dir)}".`;
  return new GraftError('not-a-project', `${layout.dir} is not a Graft project (no ${path.basename(layout.database)}). ${advice}`);
}

function openDatabase(layout: ProjectLayout, migrations: readonly Migration[]): Project {
  let db: Db;
  try {
    db = new Database(layout.database);
  } catch (error) {
    throw new GraftError('io', `Cannot open ${layout.database}: ${(error as Error).message}`);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    migrate(db, migrations);
  } catch (error) {
    db.close();
    if (error instanceof GraftError) throw error;
    throw new GraftError('io', `Cannot read the project database ${layout.database}: ${(error as Error).message}`);
  }
  return new Project(layout, db);
}
