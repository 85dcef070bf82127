import { GraftError } from '../../api/errors';
import { runId as runIdParser } from '../../api/params/training-params';
import type { EvaluationSummary, RunDetail } from '../../api/types/runs';
import { oneOf } from '../../base/parse';
import type { EngineSpawner } from '../../engine/host/engine-process';
import { jobResult, openAppClient } from '../app-client';
import { nodeEngineSpawner } from '../app-paths';
import { CANCELLED_EXIT_CODE, printResult, type CliCommand } from '../command';
import { option } from '../inference-options';
import { engineProgressLine, withProgress } from '../progress-printer';
import { requirePositional } from '../run-cli';
import { fixed3 } from '../text-table';
import { confusionTable, perClassTable } from '../training-text';

const USAGE = 'evaluate <project-dir> --run ID [--split test|validation] [--checkpoint best|last] [--json]';

/** What `graft evaluate --json` prints: the evaluation with the run's classes. */
export interface EvaluateReport extends EvaluationSummary {
  runId: number;
  runName: string;
  classes: string[];
  images: number;
}

/** Makes `graft evaluate`; the checkpoint runs in an engine started with `spawner`. */
export function createEvaluateCommand(spawner: () => EngineSpawner = () => nodeEngineSpawner()): CliCommand {
  return {
    name: 'evaluate',
    summary: 'Evaluate a run\'s checkpoint on a split: accuracy, per-class precision/recall/F1 and the confusion matrix.',
    usage: USAGE,
    details: [
      'The run is measured on the images of its own snapshot, whatever was relabelled since.',
      'The evaluation is stored with per-image predictions, so the app shows it too.',
    ],
    options: {
      run: { type: 'string', value: 'ID', required: true, description: 'the run (graft runs lists them)' },
      split: { type: 'string', value: 'test|validation', description: 'the images to measure on', defaultText: 'test when the run has test images, else validation' },
      checkpoint: {
        type: 'string',
        value: 'best|last',
        description: 'best is the epoch with the best validation score',
        defaultText: 'best when saved, else last',
      },
    },
    async run({ positionals, values, json, io, signal }) {
      const dir = requirePositional(positionals, 0, 'the project folder', USAGE);
      const runId = option(values, 'run', runIdParser, 'whole');
      if (runId === undefined) throw new GraftError('bad-request', `Say which run with --run ID (graft runs lists them). Usage: graft ${USAGE}`);
      const split = option(values, 'split', oneOf(['test', 'validation'] as const));
      const checkpoint = option(values, 'checkpoint', oneOf(['best', 'last'] as const));
      // The engine starts once the run is found and has images to evaluate.
      const client = openAppClient({ spawner: spawner(), projectDir: dir, io, lazyEngine: true });
      try {
        const run = await client.call('runs.get', { runId });
        const params = { runId, split: split ?? defaultSplit(run), checkpoint: checkpoint ?? (run.checkpoints.best ? 'best' : 'last') } as const;
        const { jobId } = await client.call('runs.evaluate', params);
        const job = await withProgress(io, json, engineProgressLine, (onProgress) => client.follow(jobId, 'evaluate', { signal, onProgress }));
        const summary = jobResult(job);
        if (!summary) {
          printResult(io, json, { cancelled: true }, () => 'Cancelled; nothing was stored.');
          return CANCELLED_EXIT_CODE;
        }
        const report: EvaluateReport = { runId, runName: run.name, classes: run.classes, images: summary.report.support.reduce((a, b) => a + b, 0), ...summary };
        printResult(io, json, report, () => describeEvaluation(report));
        return 0;
      } finally {
        await client.dispose();
      }
    },
  };
}

/** `graft evaluate`. */
export const evaluateCommand: CliCommand = createEvaluateCommand();

function defaultSplit(run: RunDetail): 'test' | 'validation' {
  return run.splitCounts.test > 0 ? 'test' : 'validation';
}

/** The human report of an evaluation. */
export function describeEvaluation(r: EvaluateReport): string {
  return [
    `Run ${r.runId} "${r.runName}", ${r.checkpoint} checkpoint, ${r.split} split (${r.images} images)`,
    `Accuracy: ${fixed3(r.report.accuracy)}`,
    '',
    perClassTable(r.classes, r.report),
    '',
    'Confusion matrix (rows: true class, columns: predicted):',
    confusionTable(r.classes, r.report.confusion),
  ].join('\n');
}
