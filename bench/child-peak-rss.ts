/** Peak resident memory of this process's children (Linux `/proc`), for benchmarks that run an engine process. */
import fs from 'node:fs';

/** The largest VmHWM (peak RSS, MB) among the live child processes of this one; null where `/proc` is absent. */
export function childPeakRssMb(): number | null {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  let peak: number | null = null;
  for (const pid of entries) {
    let status: string;
    try {
      status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) !== process.pid) continue;
    const kb = Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    peak = Math.max(peak ?? 0, kb / 1024);
  }
  return peak;
}
