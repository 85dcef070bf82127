import { GraftError } from '../../api/errors';
import { ARCHITECTURES } from '../../api/model-catalog';
import { runId as runIdParser } from '../../api/params/training-params';
import type { TrainingConfig } from '../../api/types/runs';
import type { EngineSpawner } from '../../engine/host/engine-process';
import { openAppClient } from '../app-client';
import { nodeEngineSpawner } from '../app-paths';
import { CANCELLED_EXIT_CODE, printResult, type CliCommand } from '../command';
import { option, weightsLabel } from '../inference-options';
import { textOption } from '../option-terms';
import { requirePositional } from '../run-cli';
import { bytes, duration, fixed3 } from '../text-table';
import { givenTrainingOptions, TRAINING_OPTIONS, trainingConfigFrom } from '../training-options';
import { ensureSplits, quoteArg, totalEpochsOf, trainToEnd, type TrainingRequest, type TrainReport } from '../training-session';
import { historyTable } from '../training-text';

const USAGE =
  'train <project-dir> --base ARCH [--weights bundled|imagenet|none|FILE] [--input-size N] [--pooling avg|max|flatten] [--head SPEC] ' +
  '[--unfreeze B1,B2|all | --unfreeze-from BLOCK] [--epochs N] [--fine-tune-epochs N] [--fine-tune-lr-factor X] [--one-stage] [--batch-size N] ' +
  '[--optimizer adam|sgd|rmsprop] [--lr X] [--schedule S] [--augment LIST] [--augment-variants N|fresh] [--class-weights none|balanced] ' +
  '[--label-smoothing X] [--early-stop N] [--no-cache] [--runtime auto|onnx|tfjs] [--seed N] [--start-from run:ID[:best|last]|model:ID] [--name NAME] [--json]\n' +
  'train <project-dir> --resume RUN_ID [--json]';

/** Makes `graft train`; the engine is started with `spawner` (tests pick the backend). */
export function createTrainCommand(spawner: () => EngineSpawner = () => nodeEngineSpawner()): CliCommand {
  return {
    name: 'train',
    summary: 'Fine-tune a pretrained base on the project\'s labelled photos: a new head, optionally some blocks of the base.',
    usage: USAGE,
    details: [
      'A project without splits gets the default 80/10/10 first (graft splits sets others).',
      'Progress goes to stderr; the result (or with --json one JSON document) to stdout.',
      'After training, the best checkpoint is evaluated on the validation and test splits.',
      'Ctrl+C stops after the current batch and says how to resume.',
    ],
    options: {
      ...TRAINING_OPTIONS,
      name: { type: 'string', value: 'NAME', description: 'the run\'s name in graft runs and the app', defaultText: '"Run N · ARCH"' },
      resume: {
        type: 'string',
        value: 'RUN_ID',
        description: 'continue a cancelled or interrupted run from its last checkpoint, with its own settings (no other training option)',
        defaultText: 'a new run',
      },
    },
    async run({ positionals, values, json, io, signal }) {
      const dir = requirePositional(positionals, 0, 'the project folder', USAGE);
      const resume = option(values, 'resume', runIdParser, 'whole');
      const name = textOption(values, 'name');
      let request: TrainingRequest;
      if (resume !== undefined) {
        const given = [...givenTrainingOptions(values), ...(name !== undefined ? ['name'] : [])];
        if (given.length > 0) {
          throw new GraftError('bad-request', `--resume continues run ${resume} with its own settings; drop ${given.map((n) => `--${n}`).join(', ')}.`);
        }
        request = { resumeRunId: resume };
      } else {
        const config = trainingConfigFrom(values);
        request = name !== undefined ? { config, name } : { config };
      }
      const client = openAppClient({ spawner: spawner(), projectDir: dir, io });
      try {
        const splitsAssigned = 'config' in request ? await ensureSplits(client, io, json) : null;
        const config = 'config' in request ? request.config : (await client.call('runs.get', { runId: request.resumeRunId })).config;
        const report = await trainToEnd(client, request, { projectDir: dir, io, json, signal, splitsAssigned, totalEpochs: totalEpochsOf(config), about: describeConfig(config) });
        printResult(io, json, report, () => describeRun(report, dir));
        return report.status === 'cancelled' ? CANCELLED_EXIT_CODE : 0;
      } finally {
        await client.dispose();
      }
    },
  };
}

/** `graft train`. */
export const trainCommand: CliCommand = createTrainCommand();

/** One line saying what a run will train. */
export function describeConfig(c: TrainingConfig): string {
  const arch = ARCHITECTURES[c.base.arch];
  const size = c.base.inputSize ?? arch.defaultInputSize;
  const plan =
    c.freeze.kind === 'head-only'
      ? 'the head on the frozen base'
      : c.freeze.kind === 'all'
        ? 'every layer'
        : c.freeze.kind === 'from'
          ? `the head, then ${c.freeze.block} onwards`
          : c.freeze.kind === 'blocks'
            ? `the head, then ${c.freeze.blocks.join(', ')}`
            : `the head and ${c.freeze.layers.length} layers`;
  const stages = c.twoStage
    ? `${c.epochs} + ${c.twoStage.fineTuneEpochs} epochs (fine-tune at lr × ${c.twoStage.lrFactor ?? 0.1})`
    : `${c.epochs} epochs`;
  return (
    `Training ${arch.displayName} at ${size}×${size} (${weightsLabel(c.base.weights)} weights): ${plan}; ${stages}, ` +
    `batch ${c.batchSize}, ${c.optimizer.name} lr ${c.optimizer.learningRate}, ${c.schedule.kind} schedule, seed ${c.seed}` +
    `${c.augment ? `, augmentation (${c.augmentMode.kind === 'fresh' ? 'fresh each epoch' : `${c.augmentMode.variants} cached variants`})` : ''}` +
    `${c.useCache ? '' : ', no activation cache'}.`
  );
}

/** The human summary of a finished (or stopped) run. */
export function describeRun(r: TrainReport, dir: string): string {
  const where = r.backend ? ` on the ${r.backend} backend${r.runtime === 'onnx' ? ' (frozen layers on ONNX Runtime)' : ''}` : '';
  const took = r.seconds !== null ? ` in ${duration(r.seconds)}` : '';
  const lines = [`Run ${r.runId} "${r.name}" ${r.status.replace('-', ' ')}${took}${where}.`];
  if (r.history.length > 0) lines.push(historyTable(r.history));
  if (r.best) lines.push(`Best epoch ${r.best.epoch + 1}: val_acc ${fixed3(r.best.valAcc)}, val_loss ${r.best.valLoss?.toFixed(4) ?? '-'}.`);
  if (r.cache) lines.push(`Activation cache: ${r.cache.hits} hits, ${r.cache.misses} misses, ${bytes(r.cache.bytes)}.`);
  if (r.test) lines.push(`Test accuracy (${r.test.checkpoint} checkpoint, ${r.test.images} images): ${fixed3(r.test.accuracy)}.`);
  else if (r.validation) lines.push(`Validation accuracy (${r.validation.checkpoint} checkpoint, ${r.validation.images} images): ${fixed3(r.validation.accuracy)}; the project has no test split.`);
  if (r.resume) lines.push(`Resume it with: ${r.resume}`);
  else if (r.status === 'cancelled') lines.push('It stopped before its first checkpoint; run the same command again (the activation cache keeps what was computed).');
  else lines.push(`Details: graft evaluate ${quoteArg(dir)} --run ${r.runId} · all runs: graft runs ${quoteArg(dir)}`);
  return lines.join('\n');
}
