import { GraftError } from '../../api/errors';
import type { SplitCounts, SplitFractions } from '../../api/types/library';
import { int, num } from '../../base/parse';
import type { EngineSpawner } from '../../engine/host/engine-process';
import { openAppClient } from '../app-client';
import { nodeEngineSpawner } from '../app-paths';
import { printResult, type CliCommand, type CliValues } from '../command';
import { option } from '../inference-options';
import { numberOption } from '../option-terms';
import { requirePositional } from '../run-cli';
import { textTable } from '../text-table';

const USAGE = 'splits <project-dir> [--train P] [--validation P] [--test P] [--seed N] [--show] [--json]';

/** The split shares `graft splits` and `graft train` use when none are given, in percent. */
export const DEFAULT_SPLIT_PERCENT: Readonly<SplitFractions> = { train: 80, validation: 10, test: 10 };

/** The seed of split assignment when none is given. */
export const DEFAULT_SPLIT_SEED = 42;

/** What `graft splits --json` prints. */
export interface SplitsReport {
  /** The fractions (0–1) assigned; null with --show. */
  fractions: SplitFractions | null;
  seed: number | null;
  counts: SplitCounts;
}

/**
 * Reads --train/--validation/--test as percentages. All three must add up to 100; one left
 * out takes the rest; two left out share the rest in the default proportion.
 */
export function splitFractions(values: CliValues): SplitFractions {
  const percent = num({ min: 0, max: 100 });
  const given = {
    train: numberOption(values, 'train', percent),
    validation: numberOption(values, 'validation', percent),
    test: numberOption(values, 'test', percent),
  };
  const names = ['train', 'validation', 'test'] as const;
  const missing = names.filter((n) => given[n] === undefined);
  const sum = names.reduce((s, n) => s + (given[n] ?? 0), 0);
  const shares: Record<(typeof names)[number], number> = { ...DEFAULT_SPLIT_PERCENT };
  if (missing.length === 0) {
    if (Math.abs(sum - 100) > 1e-6) throw new GraftError('bad-request', `--train, --validation and --test must add up to 100; they add up to ${sum}.`);
  } else if (missing.length < 3) {
    if (sum > 100 + 1e-6) throw new GraftError('bad-request', `The split percentages given add up to ${sum}, over 100.`);
    const defaultRest = missing.reduce((s, n) => s + DEFAULT_SPLIT_PERCENT[n], 0);
    for (const n of missing) shares[n] = ((100 - sum) * DEFAULT_SPLIT_PERCENT[n]) / defaultRest;
  }
  for (const n of names) if (given[n] !== undefined) shares[n] = given[n]!;
  return { train: shares.train / 100, validation: shares.validation / 100, test: shares.test / 100 };
}

/** Makes `graft splits`; `spawner` would start the engine, which splitting never needs. */
export function createSplitsCommand(spawner: () => EngineSpawner = () => nodeEngineSpawner()): CliCommand {
  return {
    name: 'splits',
    summary: 'Assign train/validation/test splits, stratified per class and seeded, and show how many images each class has in each.',
    usage: USAGE,
    details: [
      'The three percentages add up to 100; one left out takes the rest, two left out share it in the default proportion.',
      'Images pinned to a split (in the Library view) keep it. Runs keep the splits they trained on.',
    ],
    options: {
      train: { type: 'string', value: 'P', description: 'percent of each class for training', defaultText: String(DEFAULT_SPLIT_PERCENT.train) },
      validation: {
        type: 'string',
        value: 'P',
        description: 'percent for validation: what picks the best epoch',
        defaultText: String(DEFAULT_SPLIT_PERCENT.validation),
      },
      test: { type: 'string', value: 'P', description: 'percent held out for the final accuracy', defaultText: String(DEFAULT_SPLIT_PERCENT.test) },
      seed: { type: 'string', value: 'N', description: 'the same seed gives the same splits', defaultText: String(DEFAULT_SPLIT_SEED) },
      show: { type: 'boolean', description: 'print the current splits without changing them (no other option)' },
    },
    async run({ positionals, values, json, io }) {
      const dir = requirePositional(positionals, 0, 'the project folder', USAGE);
      const show = values.show === true;
      if (show && ['train', 'validation', 'test', 'seed'].some((n) => values[n] !== undefined)) {
        throw new GraftError('bad-request', '--show prints the splits as they are; drop it to assign new ones.');
      }
      const fractions = show ? null : splitFractions(values);
      const seed = show ? null : (option(values, 'seed', int({ min: 0, max: 2 ** 31 - 1 }), 'whole') ?? DEFAULT_SPLIT_SEED);
      const client = openAppClient({ spawner: spawner(), projectDir: dir, io, lazyEngine: true });
      try {
        const counts = fractions && seed !== null ? await client.call('splits.assign', { ...fractions, seed }) : (await client.call('splits.summary')).counts;
        const report: SplitsReport = { fractions, seed, counts };
        printResult(io, json, report, () => describeSplits(report));
        return 0;
      } finally {
        await client.dispose();
      }
    },
  };
}

/** `graft splits`. */
export const splitsCommand: CliCommand = createSplitsCommand();

/** The per-class split table with totals, as `graft splits` and `graft train` print it. */
export function splitTable(counts: SplitCounts): string {
  const withNone = counts.totals.none > 0;
  const headers = ['class', 'train', 'validation', 'test', ...(withNone ? ['no split'] : [])];
  const row = (name: string, c: { train: number; validation: number; test: number; none: number }) => [
    name,
    String(c.train),
    String(c.validation),
    String(c.test),
    ...(withNone ? [String(c.none)] : []),
  ];
  return textTable(headers, [...counts.perClass.map((c) => row(c.name, c)), row('total', counts.totals)]);
}

function describeSplits(r: SplitsReport): string {
  const labelled = r.counts.totals.train + r.counts.totals.validation + r.counts.totals.test + r.counts.totals.none;
  if (labelled === 0) return 'The project has no labelled images yet: label some (graft import --labels-from-subfolders, or the Label view), then assign splits.';
  const pct = (x: number) => `${Math.round(x * 1000) / 10}`;
  const head = r.fractions
    ? `Assigned splits ${pct(r.fractions.train)}/${pct(r.fractions.validation)}/${pct(r.fractions.test)} (train/validation/test, seed ${r.seed}) to ${labelled} labelled images:`
    : `Splits of the ${labelled} labelled images:`;
  return `${head}\n${splitTable(r.counts)}`;
}
