import { readFileSync } from 'node:fs';
import { errnoCode } from './fs-errors';

/** True when a process with this id is running (a pid we may not signal still exists). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}

/**
 * When a process started, as the kernel counts it (clock ticks since boot, from
 * /proc/<pid>/stat), or null where that cannot be read: always on macOS and Windows, which
 * have no /proc. A pid reused by a later process has another start time, so a lock can tell
 * its dead owner from the stranger with the same pid.
 */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/** What this system can tell about a process; injectable, so every platform's branch is tested on any. */
export interface ProcessProbe {
  alive(pid: number): boolean;
  /** Its start time (see processStartTime), or null where the platform cannot tell. */
  startTime(pid: number): string | null;
}

/** The real probe: signals and, on Linux, /proc. */
export const systemProcessProbe: ProcessProbe = { alive: processAlive, startTime: processStartTime };

/**
 * Whether the process that recorded `pid` (and its start time, when it could read it) still runs:
 * 'gone' when no such pid runs or the pid now belongs to a process started at another time;
 * 'alive' when the start times match; 'unverified' when the pid runs but its start cannot be
 * compared (macOS, Windows, or an owner that recorded none) — it may be a later process that
 * was given the same pid, so it is treated as alive but named with care.
 */
export function ownerLiveness(pid: number, started: string | null, probe: ProcessProbe = systemProcessProbe): 'gone' | 'alive' | 'unverified' {
  if (!probe.alive(pid)) return 'gone';
  const now = started === null ? null : probe.startTime(pid);
  if (started === null || now === null) return 'unverified';
  return now === started ? 'alive' : 'gone';
}
