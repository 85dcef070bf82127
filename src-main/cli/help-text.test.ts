import { describe, expect, it } from 'vitest';
import type { CliCommand, CliOption } from './command';
import { COMMANDS } from './commands';
import { COMMON_OPTIONS, commandHelp, globalHelp, optionDescription, optionSignature, wrapText } from './help-text';
import { runCli } from './run-cli';
import { capture } from './test-support/cli-fixtures';

/** Every option a verb parses: its own and the ones every verb takes. */
function parsed(command: CliCommand): [string, CliOption][] {
  return Object.entries({ ...command.options, ...COMMON_OPTIONS });
}

/** The help's lines, with wrapped continuation lines joined back to the line they continue. */
function logicalLines(help: string): string[] {
  const lines: string[] = [];
  for (const line of help.split('\n')) {
    // Continuations are indented past an option's signature column.
    if (/^ {6,}\S/.test(line) && lines.length > 0 && !/^ {2}-/.test(line)) lines[lines.length - 1] += ` ${line.trim()}`;
    else lines.push(line);
  }
  return lines;
}

describe('graft --help of every verb (walks the registered commands, so help cannot drift from parsing)', () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))('%s: every option it parses is described, with its default, in help and usage', (_, command) => {
    const help = commandHelp(command);
    const lines = logicalLines(help);
    for (const [name, option] of parsed(command)) {
      expect(option.description.trim(), `--${name} of graft ${command.name} needs a description`).not.toBe('');
      expect(option.description, `--${name}: one sentence, no line breaks`).not.toContain('\n');
      if (option.type === 'string') {
        expect(option.required === true || option.defaultText !== undefined, `--${name} of graft ${command.name} must say its default or be required`).toBe(true);
        expect(option.value, `--${name} of graft ${command.name} must say what its value looks like`).toBeTruthy();
      }
      const line = lines.find((l) => l.trimStart().startsWith(optionSignature(name, option)));
      expect(line, `graft ${command.name} --help lists --${name}`).toBeDefined();
      expect(line!.replace(/\s+/g, ' ')).toContain(optionDescription(option).replace(/\s+/g, ' '));
      if (name !== 'help') expect(command.usage, `the usage line of graft ${command.name} names --${name}`).toMatch(new RegExp(`--${name}(?![\\w-])`));
    }
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))('%s: the usage names only options it parses, and refuses none it declares', (_, command) => {
    const declared = new Set(parsed(command).map(([name]) => name));
    for (const [, name] of command.usage.matchAll(/--([a-z][\w-]*)/g)) expect(declared, `graft ${command.name}'s usage names --${name}`).toContain(name);
    for (const name of Object.keys(command.refused ?? {})) expect(declared.has(name), `--${name} is both declared and refused`).toBe(false);
  });

  it('prints the help the test reads, wrapped to 100 columns', async () => {
    for (const command of COMMANDS) {
      const io = capture();
      expect(await runCli([command.name, '--help'], COMMANDS, io)).toBe(0);
      expect(io.stdout.join('\n')).toBe(commandHelp(command));
      for (const line of commandHelp(command).split('\n')) if (line.trim().includes(' ')) expect(line.length, line).toBeLessThanOrEqual(100);
    }
    for (const line of globalHelp(COMMANDS).split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
  });

  it('shows defaults and placeholders, e.g. import --concurrency and classify --weights', () => {
    const byName = (name: string) => COMMANDS.find((c) => c.name === name)!;
    const importHelp = logicalLines(commandHelp(byName('import'))).join('\n');
    expect(importHelp).toMatch(/--concurrency N +photos decoded at once \(default: twice the CPU count, at most 8\)/);
    expect(byName('import').usage).toContain('[--concurrency N]');
    const classifyHelp = logicalLines(commandHelp(byName('classify'))).join('\n');
    expect(classifyHelp).toMatch(/--weights imagenet\|FILE\|none .*\(default: imagenet\)/);
    expect(classifyHelp).toMatch(/--base ARCH +the architecture: .*\(required\)/);
    expect(classifyHelp).toMatch(/-h, --help +show this help/);
    expect(commandHelp(byName('lr-find'))).toMatch(/Not taken here \(refused with why\): --lr, --schedule, --epochs,/);
  });
});

describe('wrapText', () => {
  it('breaks at spaces within the width and keeps a longer word whole', () => {
    expect(wrapText('aa bb cc dd', 5)).toEqual(['aa bb', 'cc dd']);
    expect(wrapText('a https://example.org/very/long/url b', 10)).toEqual(['a', 'https://example.org/very/long/url', 'b']);
  });
});

describe('options that do not apply are refused with why, never ignored', () => {
  it.each([
    [['model-summary', 'vgg16', '--no-top', '--classes', '3'], /--classes sets the size of the classifier, which --no-top leaves out/],
    [['lr-find', 'proj', '--base', 'vgg16', '--epochs', '3'], /^--epochs does not apply to graft lr-find: the test runs --steps batches, not epochs/],
    [['lr-find', 'proj', '--base', 'vgg16', '--lr=0.1'], /^--lr does not apply to graft lr-find: the test sweeps the learning rate/],
    [['labels', 'export', 'proj', '--csv', 'x.csv', '--by-split'], /--by-split shape an ImageFolder export: add --imagefolder DIR/],
    [['classify', 'x.jpg', '--base', 'vgg16', '--runtime', 'tfjs', '--threads', '2'], /--threads sets ONNX Runtime's threads, which --runtime tfjs does not use/],
    [['embed', 'dir', '--base', 'vgg16', '--out', 'x.npy', '--runtime', 'tfjs', '--threads', '2'], /--threads sets ONNX Runtime's threads/],
    [['splits', 'proj', '--show', '--seed', '3'], /--show prints the splits as they are/],
    [['train', 'proj', '--resume', '1', '--epochs', '3'], /--resume continues run 1 with its own settings; drop --epochs/],
    [['init', 'proj', '--frobnicate'], /^Unknown option --frobnicate for graft init; "graft init --help" lists its options\.$/],
    [['serve', 'proj', '--port'], /^--port needs a value/],
    [['import', 'proj', 'photos', '--svg=yes'], /^--svg takes no value/],
  ])('%j', async (argv, message) => {
    const io = capture();
    expect(await runCli([...argv, '--json'], COMMANDS, io)).toBe(2);
    expect(JSON.parse(io.stdout.join(''))).toEqual({ error: { code: 'bad-request', message: expect.stringMatching(message) } });
    expect(io.stderr).toHaveLength(1);
  });
});
