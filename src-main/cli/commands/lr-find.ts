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
import { TRAINING_OPTIONS, trainingConfigFrom } from '../training-options';
import { ensureSplits } from '../training-session';
import { lossPlot } from '../training-text';

const USAGE =
  'lr-find <project-dir> --base ARCH [--weights bundled|imagenet|none|FILE] [--input-size N] [--pooling avg|max|flatten] [--head SPEC] ' +
  '[--unfreeze B1,B2|all | --unfreeze-from BLOCK] [--one-stage] [--batch-size N] [--optimizer adam|sgd|rmsprop] [--augment LIST] ' +
  '[--augment-variants N|fresh] [--class-weights none|balanced] [--label-smoothing X] [--no-cache] [--runtime auto|onnx|tfjs] [--seed N] [--start-from run:ID[:best|last]|model:ID] ' +
  '[--min-lr X] [--max-lr X] [--steps N] [--json]';

/** graft train's options that mean nothing to a range test, with why; given, they are refused. */
const NOT_FOR_LR_FIND: Readonly<Record<string, string>> = {
  lr: 'the test sweeps the learning rate from --min-lr to --max-lr; pass the rate it suggests to graft train --lr.',
  schedule: 'the test sets the learning rate of every batch itself; give the schedule to graft train.',
  epochs: 'the test runs --steps batches, not epochs; give --epochs to graft train.',
  'fine-tune-epochs': 'the test covers the first stage only; give it to graft train.',
  'fine-tune-lr-factor': 'the test covers the first stage only; give it to graft train.',
  'early-stop': 'the test stops by itself once the loss diverges; give --early-stop to graft train.',
  name: 'nothing is stored as a run.',
  resume: 'nothing is stored as a run.',
};

/** The training options a range test uses: what the first stage trains and on what. */
const LR_FIND_TRAINING_OPTIONS = Object.fromEntries(Object.entries(TRAINING_OPTIONS).filter(([name]) => !(name in NOT_FOR_LR_FIND)));

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
      'Takes the model options of graft train. What is tested is the first stage: with unfrozen blocks and two stages (the default), that is the head alone; --one-stage tests the blocks with the head.',
      'It fills the activation cache on the way, so the run that follows starts warm. Nothing is stored as a run.',
    ],
    options: {
      ...LR_FIND_TRAINING_OPTIONS,
      'min-lr': { type: 'string', value: 'X', description: 'first learning rate', defaultText: '1e-7' },
      'max-lr': { type: 'string', value: 'X', description: 'last learning rate', defaultText: '10' },
      steps: { type: 'string', value: 'N', description: 'batches from the first rate to the last; stops early once the loss diverges', defaultText: '100' },
    },
    refused: NOT_FOR_LR_FIND,
    async run({ positionals, values, json, io, signal }) {
      const dir = requirePositional(positionals, 0, 'the project folder', USAGE);
      const config = trainingConfigFrom(values);
      const finder = finderFrom(values);
      // Said, not silent: the blocks named with --unfreeze only train in the second stage.
      if (config.twoStage) io.err('graft: lr-find tests the first stage: the head alone (the unfrozen blocks join in the second stage; --one-stage tests them with the head).');
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
