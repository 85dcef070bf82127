import { parseArgs } from 'node:util';
import { GraftError } from '../api/errors';
import type { CliCommand, CliIo, CliOptions } from './command';

/** Global help: every verb with its summary. */
export function globalHelp(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'graft — turn a folder of photos into an image classifier, on your own machine.',
    '',
    'Usage: graft <command> [options]   (graft <command> --help for details)',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command accepts --json for machine-readable output and --help.',
  ].join('\n');
}

/** Help for one verb: usage, details and options. */
export function commandHelp(command: CliCommand): string {
  const declared: CliOptions = { ...command.options, json: { type: 'boolean' }, help: { type: 'boolean' } };
  const options = Object.entries(declared);
  return [
    `Usage: graft ${command.usage}`,
    '',
    command.summary,
    ...(command.details?.length ? ['', ...command.details] : []),
    '',
    'Options:',
    ...options.map(([name, spec]) => `  --${name}${spec.type === 'string' ? ' <value>' : ''}`),
  ].join('\n');
}

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
    const { values, positionals } = parseArgs({
      args: [...rest],
      options: { ...command.options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      io.out(commandHelp(command));
      return 0;
    }
    return await command.run({ positionals, values: values as Record<string, string | boolean | undefined>, json, io, signal });
  } catch (error) {
    return fail(io, json, error);
  }
}

function fail(io: CliIo, json: boolean, error: unknown): number {
  const code = error instanceof GraftError ? error.code : (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 'bad-request' : 'internal';
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
  if (json) io.out(JSON.stringify({ error: { code, message } }));
  io.err(`graft: ${message}`);
  return code === 'bad-request' ? 2 : 1;
}

/** Reads a required positional argument or fails with the usage line. */
export function requirePositional(positionals: string[], index: number, what: string, usage: string): string {
  const value = positionals[index];
  if (!value) throw new GraftError('bad-request', `Missing ${what}. Usage: graft ${usage}`);
  return value;
}
