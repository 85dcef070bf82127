import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Database } from 'better-sqlite3';
import { processAlive, processStartTime } from '../../base/process-alive';

/** Who holds a project lock: the process, its machine, since when, and what it says about itself (a URL). */
export interface LockOwner {
  pid: number;
  host: string;
  since: string;
  /** The owner's start time (see processStartTime), to tell it from a later process with its pid. */
  started: string | null;
  detail: string | null;
  token: string;
}

/** A lock this process holds; `release` gives it up (once; later calls do nothing). */
export interface HeldLock {
  readonly owner: LockOwner;
  release(): void;
}

const keyOf = (name: string) => `lock:${name}`;

function parseOwner(value: string | undefined): LockOwner | null {
  if (!value) return null;
  try {
    const owner = JSON.parse(value) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' && typeof owner.token === 'string' ? (owner as LockOwner) : null;
  } catch {
    return null;
  }
}

/**
 * True while the owner may still be working. Only a process on this machine can be checked:
 * it is gone when no such pid runs or the pid now belongs to a process started at another
 * time. An owner on another machine (a project on a network share) is taken at its word.
 */
export function ownerAlive(owner: LockOwner): boolean {
  if (owner.host !== os.hostname()) return true;
  if (!processAlive(owner.pid)) return false;
  const started = processStartTime(owner.pid);
  return owner.started === null || started === null || started === owner.started;
}

/** The live owner of a project lock, or null when it is free (or its owner died). */
export function projectLockOwner(db: Database, name: string): LockOwner | null {
  const row = db.prepare('SELECT value FROM project_meta WHERE key = ?').get(keyOf(name)) as { value: string } | undefined;
  const owner = parseOwner(row?.value);
  return owner && ownerAlive(owner) ? owner : null;
}

/**
 * Takes a lock that holds across every process sharing the project: a row of the project's
 * database, written in an immediate transaction so two processes cannot both see it free.
 * A lock left by a process that died (killed, crashed) is taken over. Returns the live
 * owner instead when someone else holds it, this process included.
 */
export function takeProjectLock(db: Database, name: string, detail: string | null = null): HeldLock | { heldBy: LockOwner } {
  const take = db.transaction((): HeldLock | { heldBy: LockOwner } => {
    const holder = projectLockOwner(db, name);
    if (holder) return { heldBy: holder };
    const owner: LockOwner = {
      pid: process.pid,
      host: os.hostname(),
      since: new Date().toISOString(),
      started: processStartTime(process.pid),
      detail,
      token: randomBytes(8).toString('hex'),
    };
    const value = JSON.stringify(owner);
    db.prepare('INSERT OR REPLACE INTO project_meta (key, value) VALUES (?, ?)').run(keyOf(name), value);
    let released = false;
    return {
      owner,
      release: () => {
        if (released || !db.open) return;
        released = true;
        // Only our own row: after a takeover it may belong to someone else.
        db.prepare('DELETE FROM project_meta WHERE key = ? AND value = ?').run(keyOf(name), value);
      },
    };
  });
  return take.immediate();
}

/** Says who holds a lock, for messages: "pid 123", or "pid 123 on host-b". */
export function describeOwner(owner: LockOwner): string {
  return owner.host === os.hostname() ? `pid ${owner.pid}` : `pid ${owner.pid} on ${owner.host}`;
}
