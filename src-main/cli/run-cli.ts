import { parseArgs } from 'node:util';
import { GraftError } from '../api/errors';
import { parseArgsOptions, type CliCommand, type CliIo } from './command';
import { COMMON_OPTIONS, commandHelp, globalHelp } from './help-text';

/**
 * Runs `graft <argv…>`: finds the verb, parses its options, prints help, and turns
 * failures into a one-line reason with a non-zero exit code.
 */
export async function runCli(
  argv: readonly string[],
  commands: readonly CliCommand[],
  io: CliIo,
  signal: AbortSignal = new AbortController().signal,
): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    io.out(globalHelp(commands));
    return verb ? 0 : 1;
  }
  const command = commands.find((c) => c.name === verb);
  const json = rest.includes('--json');
  if (!command) return fail(io, json, new GraftError('bad-request', `Unknown command "${verb}". Run "graft --help" for the list.`));
  try {
    if (!rest.includes('--help') && !rest.includes('-h')) refuseInapplicable(command, rest);
    const { values, positionals } = parseArgs({
      args: [...rest],
      options: parseArgsOptions({ ...command.options, ...COMMON_OPTIONS }),
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      io.out(commandHelp(command));
      return 0;
    }
    return await command.run({ positionals, values: values as Record<string, string | boolean | undefined>, json, io, signal });
  } catch (error) {
    return fail(io, json, error, command.name);
  }
}

/** Refuses an option the verb declares as not applying, with its reason, before parsing. */
function refuseInapplicable(command: CliCommand, args: readonly string[]): void {
  for (const arg of args) {
    if (arg === '--') return;
    const name = /^--([^=]+)/.exec(arg)?.[1];
    const reason = name !== undefined ? command.refused?.[name] : undefined;
    if (reason) throw new GraftError('bad-request', `--${name} does not apply to graft ${command.name}: ${reason}`);
  }
}

/** Node's parseArgs messages, reworded to name the verb and where its options are listed. */
function parseArgsMessage(error: { code?: string; message: string }, command: string | undefined): string {
  const option = /'(-{1,2}[^' ]+)/.exec(error.message)?.[1];
  const verb = command ? `graft ${command}` : 'graft';
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `Unknown option ${option} for ${verb}; "${verb} --help" lists its options.`;
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    // Node says "does not take an argument" for a flag given a value; otherwise the value is missing (or looks like an option).
    return /does not take an argument/.test(error.message) ? `${option} takes no value; "${verb} --help" says how it is used.` : `${option} needs a value; "${verb} --help" says which.`;
  }
  return error.message;
}

/**
 * Prints a failure: one line with the reason, then any advice lines the error carries in
 * `details.help` (with --json, the same as one JSON document). Bad requests exit with 2.
 */
function fail(io: CliIo, json: boolean, error: unknown, command?: string): number {
  const parseError = (error as { code?: unknown }).code;
  const isParseError = typeof parseError === 'string' && parseError.startsWith('ERR_PARSE_ARGS');
  const code = error instanceof GraftError ? error.code : isParseError ? 'bad-request' : 'internal';
  const text = isParseError ? parseArgsMessage(error as Error & { code: string }, command) : error instanceof Error ? error.message : String(error);
  const message = text.split('\n')[0]!;
  const help = error instanceof GraftError ? helpLines(error.details.help) : [];
  if (json) io.out(JSON.stringify({ error: { code, message, ...(help.length ? { help } : {}) } }));
  io.err(`graft: ${message}`);
  for (const line of help) io.err(`  ${line}`);
  return code === 'bad-request' ? 2 : 1;
}

function helpLines(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((line): line is string => typeof line === 'string') : [];
}

/** Reads a required positional argument or fails with the usage line. */
export function requirePositional(positionals: string[], index: number, what: string, usage: string): string {
  const value = positionals[index];
  if (!value) throw new GraftError('bad-request', `Missing ${what}. Usage: graft ${usage}`);
  return value;
}
