import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Database } from 'better-sqlite3';
import { ownerLiveness, processStartTime, systemProcessProbe, type ProcessProbe } from '../../base/process-alive';

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
 * time (Linux). Where start times cannot be read (macOS, Windows) a running pid keeps the
 * lock — never taken from a live import — and describeOwner names it with its time so the
 * user can tell. An owner on another machine (a project on a network share) is taken at its word.
 */
export function ownerAlive(owner: LockOwner, probe: ProcessProbe = systemProcessProbe): boolean {
  if (owner.host !== os.hostname()) return true;
  return ownerLiveness(owner.pid, owner.started, probe) !== 'gone';
}

/** The live owner of a project lock, or null when it is free (or its owner died). */
export function projectLockOwner(db: Database, name: string, probe: ProcessProbe = systemProcessProbe): LockOwner | null {
  const row = db.prepare('SELECT value FROM project_meta WHERE key = ?').get(keyOf(name)) as { value: string } | undefined;
  const owner = parseOwner(row?.value);
  return owner && ownerAlive(owner, probe) ? owner : null;
}

/**
 * Takes a lock that holds across every process sharing the project: a row of the project's
 * database, written in an immediate transaction so two processes cannot both see it free.
 * A lock left by a process that died (killed, crashed) is taken over. Returns the live
 * owner instead when someone else holds it, this process included.
 */
export function takeProjectLock(
  db: Database,
  name: string,
  detail: string | null = null,
  probe: ProcessProbe = systemProcessProbe,
): HeldLock | { heldBy: LockOwner } {
  const take = db.transaction((): HeldLock | { heldBy: LockOwner } => {
    const holder = projectLockOwner(db, name, probe);
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

/** "2025-01-02 10:02 UTC" from the lock's ISO time, for messages. */
function sinceText(since: string): string {
  const at = new Date(since);
  return Number.isNaN(at.getTime()) ? 'an unknown time' : `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * Says who holds a lock, for messages: "pid 123", or "pid 123 on host-b". Where this system
 * cannot tell the owner from a later process given the same pid (no start times on macOS and
 * Windows), it says since when the lock is held and how the user can free a left-over one.
 */
export function describeOwner(owner: LockOwner, probe: ProcessProbe = systemProcessProbe): string {
  if (owner.host !== os.hostname()) return `pid ${owner.pid} on ${owner.host}`;
  if (ownerLiveness(owner.pid, owner.started, probe) !== 'unverified') return `pid ${owner.pid}`;
  return (
    `pid ${owner.pid}, holding it since ${sinceText(owner.since)}; this system cannot tell whether pid ${owner.pid} ` +
    `is still that Graft process — if it is another program now, the lock is left over and frees itself when pid ${owner.pid} ends (or after a restart)`
  );
}
