import { GraftError } from '../../api/errors';
import { lrFinderSpec } from '../../api/params/training-params';
import type { LrFinderResult, TrainingConfig } from '../../api/types/runs';
import type { LrFinderSpec } from '../../api/types/training';
import type { EngineSpawner } from '../../engine/host/engine-process';
import { jobResult, openAppClient } from '../app-client';
import { nodeEngineSpawner } from '../app-paths';
import { CANCELLED_EXIT_CODE, printResult, type CliCommand, type CliValues } from '../command';
import { option } from '../inference-options';
import { numberOption } from '../option-terms';
import { engineProgressLine, withProgress } from '../progress-printer';
import { requirePositional } from '../run-cli';
import { TRAINING_DETAILS, TRAINING_OPTIONS, trainingConfigFrom } from '../training-options';
import { ensureSplits } from '../training-session';
import { lossPlot } from '../training-text';

const USAGE = 'lr-find <project-dir> --base <arch> [the model options of graft train] [--min-lr X] [--max-lr X] [--steps N] [--json]';

/** What `graft lr-find --json` prints. */
export interface LrFindReport extends LrFinderResult {
  /** The rate to pass as --lr (the `valley` suggestion, else the next best one); null when the curve says nothing. */
  suggested: number | null;
  config: TrainingConfig;
}

/** Reads the finder's own options, bounded by the contract's parser. */
function finderFrom(values: CliValues): LrFinderSpec {
  const field = <K extends keyof LrFinderSpec>(key: K) => (v: unknown, p?: string) => lrFinderSpec({ [key]: v }, p)[key];
  const spec: LrFinderSpec = {
    minLr: numberOption(values, 'min-lr', field('minLr')),
    maxLr: numberOption(values, 'max-lr', field('maxLr')),
    steps: option(values, 'steps', field('steps'), 'whole'),
  };
  if (spec.minLr !== undefined && spec.maxLr !== undefined && spec.minLr >= spec.maxLr) {
    throw new GraftError('bad-request', `--min-lr (${spec.minLr}) must be below --max-lr (${spec.maxLr}).`);
  }
  return lrFinderSpec(spec);
}

/** Makes `graft lr-find`; the range test runs in an engine started with `spawner`. */
export function createLrFindCommand(spawner: () => EngineSpawner = () => nodeEngineSpawner()): CliCommand {
  return {
    name: 'lr-find',
    summary: 'LR range test (fastai\'s lr_find): train a few batches at growing learning rates and suggest one for graft train.',
    usage: USAGE,
    details: [
      'Takes the model options of graft train (the first stage is what is tested: the head, with two stages):',
      ...TRAINING_DETAILS,
      '--min-lr X               first learning rate (default 1e-7)',
      '--max-lr X               last learning rate (default 10)',
      '--steps N                batches from the first rate to the last (default 100; stops early once the loss diverges)',
      'It fills the activation cache on the way, so the run that follows starts warm. Nothing is stored as a run.',
    ],
    options: { ...TRAINING_OPTIONS, 'min-lr': { type: 'string' }, 'max-lr': { type: 'string' }, steps: { type: 'string' } },
    async run({ positionals, values, json, io, signal }) {
      const dir = requirePositional(positionals, 0, 'the project folder', USAGE);
      const config = trainingConfigFrom(values);
      const finder = finderFrom(values);
      const client = openAppClient({ spawner: spawner(), projectDir: dir, io });
      try {
        await ensureSplits(client, io, json);
        const { jobId } = await client.call('training.lrFind', { config, finder });
        const job = await withProgress(io, json, engineProgressLine, (onProgress) => client.follow(jobId, 'lr-find', { signal, onProgress }));
        const result = jobResult(job);
        if (!result) {
          printResult(io, json, { cancelled: true }, () => 'Cancelled.');
          return CANCELLED_EXIT_CODE;
        }
        const { valley, steep, minimumOver10 } = result.suggestion;
        const report: LrFindReport = { ...result, suggested: valley ?? minimumOver10 ?? steep, config };
        printResult(io, json, report, () => describeLrFind(report));
        return 0;
      } finally {
        await client.dispose();
      }
    },
  };
}

/** `graft lr-find`. */
export const lrFindCommand: CliCommand = createLrFindCommand();

function describeLrFind(r: LrFindReport): string {
  const rate = (x: number | null) => (x === null ? '-' : x.toExponential(1));
  const lines = [
    `Loss against learning rate over ${r.points.length} batches:`,
    lossPlot(r.points, r.suggested),
    '',
    `Suggested: valley ${rate(r.suggestion.valley)}, steepest descent ${rate(r.suggestion.steep)}, minimum/10 ${rate(r.suggestion.minimumOver10)}.`,
  ];
  lines.push(r.suggested === null ? 'The curve was too short to judge: try more --steps or a wider --min-lr/--max-lr.' : `Train with: --lr ${rate(r.suggested)}`);
  return lines.join('\n');
}
