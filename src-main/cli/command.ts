import type { ParseArgsConfig } from 'node:util';

/** Where a command writes; injected so tests capture output without touching globals. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** Option declarations in node:util parseArgs form. */
export type CliOptions = NonNullable<ParseArgsConfig['options']>;

/** Parsed option values. */
export type CliValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** One CLI verb: its help text, its options and what it does. `--json` and `--help` are added for every verb. */
export interface CliCommand {
  name: string;
  summary: string;
  /** Usage line after `graft`, e.g. `init <project-dir>`. */
  usage: string;
  /** Extra help lines printed under the usage. */
  details?: string[];
  options: CliOptions;
  /** Runs the verb; returns the exit code. Throw GraftError for a one-line user-facing failure. */
  run(args: { positionals: string[]; values: CliValues; json: boolean; io: CliIo; signal: AbortSignal }): Promise<number>;
}

/** Exit code of a command cancelled with Ctrl+C (128 + SIGINT), as shells expect. */
export const CANCELLED_EXIT_CODE = 130;

/** Prints a result either as JSON (one document) or as human text. */
export function printResult(io: CliIo, json: boolean, value: unknown, human: () => string): void {
  io.out(json ? JSON.stringify(value, null, 2) : human());
}
