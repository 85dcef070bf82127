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
 * /proc/<pid>/stat), or null where that cannot be read. A pid reused by a later process has
 * another start time, so a lock can tell its dead owner from the stranger with the same pid.
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
