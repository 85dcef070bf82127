/**
 * Runs one exported function of a module in a child Node process under a memory and time
 * bound: hostile inputs (a FIFO, /dev/zero, a zip bomb) are tried where a hang or a flood
 * cannot take the test runner with it, and the bound itself is what the test asserts.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// By absolute URL, so the child starts whatever the working folder is.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bounded-child-entry.ts');

/** The limits of one run. */
export interface Bounds {
  /** Killed when the child's resident memory passes this. */
  rssMb: number;
  /** Killed when it has not finished by then. */
  timeoutMs: number;
  /** V8's heap limit (--max-old-space-size); defaults to rssMb. */
  heapMb?: number;
}

/** How the run ended: the function's value or error, or the bound that stopped it. */
export type BoundedOutcome =
  | { status: 'returned'; value: unknown; ms: number; peakRssMb: number }
  | { status: 'threw'; error: { name: string; code?: string; message: string }; ms: number; peakRssMb: number }
  | { status: 'timeout' | 'memory' | 'crashed'; detail: string; ms: number; peakRssMb: number };

function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Calls `exportName(...args)` from `modulePath` (a .ts file) in a bounded child and reports how it ended. */
export function runBounded(modulePath: string, exportName: string, args: unknown[], bounds: Bounds): Promise<BoundedOutcome> {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    ['--import', tsxLoader, `--max-old-space-size=${bounds.heapMb ?? bounds.rssMb}`, entry, modulePath, exportName, JSON.stringify(args)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let peak = 0;
  let stopped: { status: 'timeout' | 'memory'; detail: string } | null = null;
  const stop = (status: 'timeout' | 'memory', detail: string) => {
    stopped ??= { status, detail };
    child.kill('SIGKILL');
  };
  const watch = setInterval(() => {
    if (child.pid === undefined) return;
    peak = Math.max(peak, rssMb(child.pid));
    if (peak > bounds.rssMb) stop('memory', `resident memory reached ${Math.round(peak)} MB`);
  }, 25);
  const timer = setTimeout(() => stop('timeout', `still running after ${bounds.timeoutMs} ms`), bounds.timeoutMs);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearInterval(watch);
      clearTimeout(timer);
      const ms = Date.now() - started;
      const peakRssMb = Math.round(peak);
      if (stopped) return resolve({ ...stopped, ms, peakRssMb });
      const line = stdout.split('\n').find((l) => l.startsWith('@@outcome '));
      if (!line) return resolve({ status: 'crashed', detail: `exit ${code ?? signal}: ${stderr.slice(-2000)}`, ms, peakRssMb });
      const outcome = JSON.parse(line.slice('@@outcome '.length)) as { value?: unknown; error?: { name: string; code?: string; message: string }; maxRssMb: number };
      const peakAll = Math.max(peakRssMb, Math.round(outcome.maxRssMb));
      resolve(outcome.error ? { status: 'threw', error: outcome.error, ms, peakRssMb: peakAll } : { status: 'returned', value: outcome.value, ms, peakRssMb: peakAll });
    });
  });
}
