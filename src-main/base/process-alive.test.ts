import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ownerLiveness, processAlive, processStartTime, type ProcessProbe } from './process-alive';

/** A pid no process holds: a child that has already exited and been reaped. */
function finishedPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('process liveness', () => {
  it('sees this process alive and a finished one gone', () => {
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(finishedPid())).toBe(false);
  });

  it('reads start times on Linux only, the same on every read', () => {
    const started = processStartTime(process.pid);
    if (process.platform === 'linux') {
      expect(started).toMatch(/^\d+$/);
      expect(processStartTime(process.pid)).toBe(started);
    } else {
      expect(started).toBeNull();
    }
  });

  describe('of a recorded owner', () => {
    const linux = (start: string): ProcessProbe => ({ alive: () => true, startTime: () => start });
    // macOS and Windows: the pid can be signalled but no start time read.
    const noStartTimes: ProcessProbe = { alive: () => true, startTime: () => null };

    it('on Linux tells the owner from a later process given its pid', () => {
      expect(ownerLiveness(42, '1000', linux('1000'))).toBe('alive');
      expect(ownerLiveness(42, '1000', linux('2000'))).toBe('gone');
    });

    it('without start times keeps a running pid alive but unverified', () => {
      expect(ownerLiveness(42, null, noStartTimes)).toBe('unverified');
      // A lock written on Linux, read where start times cannot be read.
      expect(ownerLiveness(42, '1000', noStartTimes)).toBe('unverified');
      expect(ownerLiveness(42, null, linux('1000'))).toBe('unverified');
    });

    it('is gone when the pid does not run, whatever the platform', () => {
      const dead: ProcessProbe = { alive: () => false, startTime: () => null };
      expect(ownerLiveness(42, '1000', dead)).toBe('gone');
      expect(ownerLiveness(42, null, dead)).toBe('gone');
      expect(ownerLiveness(finishedPid(), null)).toBe('gone');
    });
  });
});
