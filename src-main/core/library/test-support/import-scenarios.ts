/**
 * Imports run in child processes (through base/test-support/bounded-child.ts), so tests can
 * run several at once against one project the way separate `graft` processes would.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { openProject } from '../../project/project';
import { importFolder } from '../import-folder';
import { acquireImportLock } from '../import-lock';

/** What a test compares across processes. */
export interface ImportOutcome {
  pid: number;
  added: number;
  unchanged: number;
  duplicates: { path: string; duplicateOf: string }[];
  waited: boolean;
}

/** Imports `folder` into the project at `projectDir`; `withoutLock` as an older Graft would, `wait` as `graft import --wait`. */
export async function importInto(projectDir: string, folder: string, options: { withoutLock?: boolean; wait?: boolean } = {}): Promise<ImportOutcome> {
  const project = openProject(projectDir);
  let waited = false;
  try {
    const summary = await importFolder(
      project,
      folder,
      { concurrency: 2 },
      { waitForLock: options.wait ? () => (waited = true) : undefined },
      { withoutLock: options.withoutLock },
    );
    return { pid: process.pid, added: summary.added, unchanged: summary.unchanged, duplicates: summary.duplicates, waited };
  } finally {
    project.dispose();
  }
}

/** Holds the project's import lock for `ms`, as a long import would. */
export async function holdImportLock(projectDir: string, ms: number): Promise<number> {
  const project = openProject(projectDir);
  try {
    const release = await acquireImportLock(project, {});
    await sleep(ms);
    release();
    return process.pid;
  } finally {
    project.dispose();
  }
}
