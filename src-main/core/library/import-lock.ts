import { GraftError } from '../../api/errors';
import type { ImportControl } from '../../api/types/import';
import type { Project } from '../project/project';
import { describeOwner, projectLockOwner, takeProjectLock, type HeldLock, type LockOwner } from '../project/project-lock';
import { projectResource } from '../project/project-resources';

/** How often a waiting import looks again whether the other one has finished. */
const WAIT_POLL_MS = 250;

/** The import lock this process holds on an open project; released when the project closes. */
class ImportLockSlot {
  held: HeldLock | null = null;
  dispose(): void {
    this.held?.release();
    this.held = null;
  }
}

const IMPORT_LOCK = projectResource('import lock', () => new ImportLockSlot());

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function importRunningError(holder: LockOwner): GraftError {
  return new GraftError(
    'bad-request',
    `An import is already running on this project (${describeOwner(holder)}). Wait for it to finish or cancel it, then import again.`,
  );
}

/** Fails with who holds it when an import (in any process) holds the project; for refusing before a job starts. */
export function checkNoImportRunning(project: Project): void {
  const holder = projectLockOwner(project.db, 'import');
  if (holder) throw importRunningError(holder);
}

/**
 * Takes the project's import lock, which holds across processes (CLI, serve, desktop): two
 * imports would race on the same rows. When another import holds it, this waits for it if
 * the caller asked to (`control.waitForLock`, told who it waits for), else fails with who
 * holds it. The first attempt is synchronous, so two calls in the same tick cannot both start.
 */
export async function acquireImportLock(project: Project, control: ImportControl): Promise<() => void> {
  const slot = project.resources.get(IMPORT_LOCK);
  let told = false;
  for (;;) {
    const result = takeProjectLock(project.db, 'import');
    if ('release' in result) {
      slot.held = result;
      return () => {
        result.release();
        if (slot.held === result) slot.held = null;
      };
    }
    if (!control.waitForLock) throw importRunningError(result.heldBy);
    if (!told) control.waitForLock(result.heldBy);
    told = true;
    await sleep(WAIT_POLL_MS, control.signal);
    if (control.signal?.aborted) throw new GraftError('cancelled', 'Cancelled while waiting for the other import on this project.');
  }
}
