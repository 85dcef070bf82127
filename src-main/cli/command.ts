import type { ParseArgsConfig } from 'node:util';

/** Where a command writes; injected so tests capture output without touching globals. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/**
 * One option of a verb: how it parses (node:util parseArgs's `type`, `multiple`, `short`) and
 * how `--help` describes it. The help is generated from these, and a test walks every verb to
 * check each option has its line, so help and parsing cannot drift apart.
 */
export interface CliOption {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  /** What the value looks like in help, e.g. `N`, `FILE`, `avg|max` (string options). */
  value?: string;
  /** What the option does, one sentence (help wraps it). */
  description: string;
  /**
   * What happens when the option is left out, in words (`5`, `imagenet`, `the architecture's`).
   * Every string option says it or is `required`; a boolean is off unless given. (Not named
   * `default`: parseArgs would take that as the value.)
   */
  defaultText?: string;
  /** The verb refuses to run without it. */
  required?: boolean;
}

/** A verb's options by name (without the leading `--`). */
export type CliOptions = Record<string, CliOption>;

/** The declarations node:util parseArgs reads (it has no use for help texts). */
export function parseArgsOptions(options: CliOptions): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(
    Object.entries(options).map(([name, o]) => [name, { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) }]),
  );
}

/** Parsed option values. */
export type CliValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** One CLI verb: its help text, its options and what it does. `--json` and `--help` are added for every verb. */
export interface CliCommand {
  name: string;
  summary: string;
  /** Usage line after `graft`, e.g. `init <project-dir>`, naming every option; a verb with two forms puts each on its own line. */
  usage: string;
  /** Extra help lines printed under the options: what the verb does beyond them. */
  details?: string[];
  options: CliOptions;
  /**
   * Options a user may expect here (they belong to a related verb) that do not apply, with why:
   * given, they are refused with that reason instead of "unknown option".
   */
  refused?: Readonly<Record<string, string>>;
  /** Runs the verb; returns the exit code. Throw GraftError for a one-line user-facing failure. */
  run(args: { positionals: string[]; values: CliValues; json: boolean; io: CliIo; signal: AbortSignal }): Promise<number>;
}

/** Exit code of a command cancelled with Ctrl+C (128 + SIGINT), as shells expect. */
export const CANCELLED_EXIT_CODE = 130;

/** Prints a result either as JSON (one document) or as human text. */
export function printResult(io: CliIo, json: boolean, value: unknown, human: () => string): void {
  io.out(json ? JSON.stringify(value, null, 2) : human());
}
