import { parseArgs } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliValues } from '../command';
import { runCli } from '../run-cli';
import { capture, countingSpawner, labelledProject, tempDir } from '../test-support/cli-fixtures';
import { createSplitsCommand, splitFractions, type SplitsReport } from './splits';

const options = { train: { type: 'string' }, validation: { type: 'string' }, test: { type: 'string' } } as const;
const fractions = (argv: string[]) => splitFractions(parseArgs({ args: argv, options }).values as CliValues);

describe('split percentages', () => {
  it('default to 80/10/10; one left out takes the rest; two left out share it as the defaults do', () => {
    expect(fractions([])).toEqual({ train: 0.8, validation: 0.1, test: 0.1 });
    expect(fractions(['--train', '70', '--validation', '20', '--test', '10'])).toEqual({ train: 0.7, validation: 0.2, test: 0.1 });
    expect(fractions(['--train', '70', '--validation', '10'])).toEqual({ train: 0.7, validation: 0.1, test: 0.2 });
    expect(fractions(['--train', '60'])).toEqual({ train: 0.6, validation: 0.2, test: 0.2 });
    expect(fractions(['--test', '0', '--validation', '25'])).toEqual({ train: 0.75, validation: 0.25, test: 0 });
  });

  it.each([
    [['--train', '80', '--validation', '10', '--test', '20'], /must add up to 100; they add up to 110/],
    [['--train', '90', '--validation', '20'], /add up to 110, over 100/],
    [['--train', '120'], /--train must be a number from 0 to 100; got "120"/],
    [['--test', 'ten'], /--test must be a number; got "ten"/],
  ])('refuses %j', (argv, message) => {
    expect(() => fractions(argv)).toThrow(message);
  });
});

describe('graft splits', () => {
  let dir: string;
  let cleanup: () => void;
  let project: string;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir('graft-splits-'));
    project = await labelledProject(dir, { classes: 3, perClass: 10, size: 32 });
  });
  afterAll(() => cleanup());

  it('assigns stratified, seeded splits and prints per-class counts, without starting an engine', async () => {
    const counter = countingSpawner();
    const command = createSplitsCommand(counter.spawner);
    const io = capture();
    expect(await runCli(['splits', project, '--train', '60', '--validation', '20', '--test', '20', '--seed', '7', '--json'], [command], io)).toBe(0);
    const report = JSON.parse(io.stdout.join('')) as SplitsReport;
    expect(report.fractions).toEqual({ train: 0.6, validation: 0.2, test: 0.2 });
    expect(report.seed).toBe(7);
    expect(report.counts.perClass.map((c) => [c.name, c.train, c.validation, c.test])).toEqual([
      ['circles', 6, 2, 2],
      ['squares', 6, 2, 2],
      ['triangles', 6, 2, 2],
    ]);
    expect(report.counts.totals).toEqual({ train: 18, validation: 6, test: 6, none: 0 });

    const text = capture();
    expect(await runCli(['splits', project], [command], text)).toBe(0);
    const out = text.stdout.join('\n');
    expect(out).toContain('Assigned splits 80/10/10 (train/validation/test, seed 42) to 30 labelled images:');
    expect(out).toMatch(/class\s+train\s+validation\s+test\n[- ]+\ncircles\s+8\s+1\s+1\n/);
    expect(out).toMatch(/total\s+24\s+3\s+3$/);

    const shown = capture();
    expect(await runCli(['splits', project, '--show', '--json'], [command], shown)).toBe(0);
    expect((JSON.parse(shown.stdout.join('')) as SplitsReport).counts.totals).toEqual({ train: 24, validation: 3, test: 3, none: 0 });
    expect(counter.spawns()).toBe(0);
  });

  it.each([
    [['splits'], /Missing the project folder/, 2],
    [['splits', '/no/such/graft/project'], /is not a Graft project/, 1],
    [['splits', 'PROJECT', '--train', '50', '--validation', '10', '--test', '10'], /must add up to 100/, 2],
    [['splits', 'PROJECT', '--show', '--seed', '3'], /--show prints the splits as they are/, 2],
    [['splits', 'PROJECT', '--seed', 'x'], /--seed must be a whole number/, 2],
  ])('refuses %j with one line', async (argv, message, code) => {
    const io = capture();
    const counter = countingSpawner();
    expect(await runCli(argv.map((a) => (a === 'PROJECT' ? project : a)), [createSplitsCommand(counter.spawner)], io)).toBe(code);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(message);
    expect(counter.spawns()).toBe(0);
  });
});
