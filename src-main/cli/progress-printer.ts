import { coalesce } from '../base/coalesce';
import type { CliIo } from './command';

/** How often a command prints a progress line: often enough to show it is alive, rarely enough to read. */
export const PROGRESS_INTERVAL_MS = 1000;

/**
 * Runs `task` with a progress callback that prints to stderr (nothing with `--json`): the first
 * line at once, then at most one a second, and the latest line held back is printed when the
 * task ends, so the last progress line is always the final state. `line` words a progress
 * value, or returns null for one not worth a line.
 */
export async function withProgress<P, T>(
  io: CliIo,
  json: boolean,
  line: (progress: P) => string | null,
  task: (onProgress: ((progress: P) => void) | undefined) => Promise<T>,
  intervalMs = PROGRESS_INTERVAL_MS,
): Promise<T> {
  if (json) return task(undefined);
  const printer = coalesce<string>(intervalMs, (text) => io.err(text));
  try {
    return await task((progress) => {
      const text = line(progress);
      if (text !== null) printer.push(text);
    });
  } finally {
    printer.flush();
    printer.dispose();
  }
}

/** The line for an engine event: the engine words its own progress. */
export function engineProgressLine(event: { message: string }): string {
  return event.message;
}
