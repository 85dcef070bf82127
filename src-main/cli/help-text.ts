import type { CliCommand, CliOption, CliOptions } from './command';

/** Help text is wrapped to this many columns (a terminal's usual 100 leaves room for the indent). */
const WIDTH = 100;

/** The options every verb takes, described like the verb's own. */
export const COMMON_OPTIONS: CliOptions = {
  json: { type: 'boolean', description: 'print one JSON document on stdout instead of text (errors too: {"error": {code, message}})' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

/** Breaks `text` into lines of at most `width` columns at spaces; a word longer than that keeps its own line. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** `--name VALUE` as help and usage show it. */
export function optionSignature(name: string, option: CliOption): string {
  const short = option.short ? `-${option.short}, ` : '';
  return `${short}--${name}${option.type === 'string' ? ` ${option.value ?? 'VALUE'}` : ''}`;
}

/** The description of an option with what happens when it is left out. */
export function optionDescription(option: CliOption): string {
  if (option.required) return `${option.description} (required)`;
  return option.defaultText !== undefined ? `${option.description} (default: ${option.defaultText})` : option.description;
}

/** Global help: every verb with its summary. */
export function globalHelp(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'graft — turn a folder of photos into an image classifier, on your own machine.',
    '',
    'Usage: graft <command> [options]   (graft <command> --help for details)',
    '',
    'Commands:',
    ...commands.flatMap((c) => hanging(`  ${c.name.padEnd(width)}  `, c.summary)),
    '',
    'Start with "graft demo" (works offline); with your photos: graft init DIR, graft import DIR PHOTOS,',
    'then graft serve DIR and open the URL it prints.',
    'Every command accepts --json for machine-readable output and --help.',
  ].join('\n');
}

/** Help for one verb: usage, summary, every option with its description and default, then the details. */
export function commandHelp(command: CliCommand): string {
  const options = Object.entries({ ...command.options, ...COMMON_OPTIONS });
  const signatures = options.map(([name, option]) => optionSignature(name, option));
  const column = Math.min(Math.max(...signatures.map((s) => s.length)), 30);
  return [
    // One usage line per form of the verb (e.g. a new run, or --resume).
    ...command.usage.split('\n').flatMap((form, i) => hanging(i === 0 ? 'Usage: ' : '       ', `graft ${form.trim()}`)),
    '',
    ...wrapText(command.summary, WIDTH),
    '',
    'Options:',
    ...options.flatMap(([, option], i) => {
      const signature = signatures[i]!;
      // A signature too long for the column gets the description on the next line.
      const head = signature.length > column ? [`  ${signature}`] : [];
      const lead = signature.length > column ? ' '.repeat(column + 4) : `  ${signature.padEnd(column)}  `;
      return [...head, ...hanging(lead, optionDescription(option))];
    }),
    ...(command.refused ? ['', ...wrapText(`Not taken here (refused with why): ${Object.keys(command.refused).map((n) => `--${n}`).join(', ')}.`, WIDTH)] : []),
    ...(command.details?.length ? ['', ...command.details.flatMap((line) => (line.trim() ? hanging(/^ */.exec(line)![0], line.trim()) : ['']))] : []),
  ].join('\n');
}

/** `lead` then `text` wrapped, continuation lines indented under the text. */
function hanging(lead: string, text: string): string[] {
  const indent = ' '.repeat(lead.length);
  return wrapText(text, Math.max(WIDTH - lead.length, 40)).map((line, i) => (i === 0 ? lead : indent) + line);
}
