import { GraftError } from '../../api/errors';
import { runtimeChoice } from '../../api/params/inference-params';
import { runId as runIdParser } from '../../api/params/training-params';
import type { SuggestionsRunResult, SuggestionsSummary } from '../../api/types/predict';
import { oneOf, positiveInt } from '../../base/parse';
import type { EngineSpawner } from '../../engine/host/engine-process';
import { jobResult, openAppClient } from '../app-client';
import { nodeEngineSpawner } from '../app-paths';
import { CANCELLED_EXIT_CODE, printResult, type CliCommand } from '../command';
import { option, RUNTIME_OPTIONS } from '../inference-options';
import { engineProgressLine, withProgress } from '../progress-printer';
import { requirePositional } from '../run-cli';

const USAGE = 'suggest <project-dir> [--run ID [--checkpoint best|last] | --model ID] [--scope unlabelled|all] [--runtime auto|onnx|tfjs] [--json]';

/** What `graft suggest --json` prints: the job's result and the suggestions waiting afterwards. */
export interface SuggestReport extends SuggestionsRunResult {
  summary: SuggestionsSummary;
}

/** Makes `graft suggest`; the model runs in an engine started with `spawner`. */
export function createSuggestCommand(spawner: () => EngineSpawner = () => nodeEngineSpawner()): CliCommand {
  return {
    name: 'suggest',
    summary: 'Pre-label: a trained model suggests a class for every unlabelled photo of a project (accepted in the Label view).',
    usage: USAGE,
    details: [
      'Suggestions are stored in the project: the Label view shows each on its tile, accepts it with one key (undoable) and sorts the photos most useful to label next (least certain first).',
      '--scope all also scores the labelled photos, so the Label view can show the labels the model strongly disagrees with.',
      'A new run of graft suggest replaces earlier suggestions of the photos it scores; a rejected suggestion stays rejected while the model suggests the same class.',
    ],
    options: {
      run: { type: 'string', value: 'ID', description: 'the run whose checkpoint suggests', defaultText: 'the latest run with a checkpoint' },
      checkpoint: { type: 'string', value: 'best|last', description: 'with --run: which checkpoint', defaultText: 'best when the run saved one, else last' },
      model: { type: 'string', value: 'ID', description: 'a model imported into the project instead of a run', defaultText: 'none: a run suggests' },
      scope: { type: 'string', value: 'unlabelled|all', description: 'which photos to score', defaultText: 'unlabelled' },
      runtime: RUNTIME_OPTIONS.runtime!,
    },
    async run({ positionals, values, json, io, signal }) {
      const dir = requirePositional(positionals, 0, 'the project folder', USAGE);
      const runId = option(values, 'run', runIdParser, 'whole');
      const modelId = option(values, 'model', positiveInt(), 'whole');
      if (runId !== undefined && modelId !== undefined) throw new GraftError('bad-request', 'Suggest with a run (--run) or an imported model (--model), not both.');
      const params = {
        runId,
        modelId,
        checkpoint: option(values, 'checkpoint', oneOf(['best', 'last'] as const)),
        scope: option(values, 'scope', oneOf(['unlabelled', 'all'] as const)),
        runtime: option(values, 'runtime', runtimeChoice),
      };
      const client = openAppClient({ spawner: spawner(), projectDir: dir, io, lazyEngine: true });
      try {
        const { jobId } = await client.call('suggestions.run', params);
        const job = await withProgress(io, json, engineProgressLine, (onProgress) => client.follow(jobId, 'suggest', { signal, onProgress }));
        const result = jobResult(job);
        if (!result) {
          printResult(io, json, { cancelled: true }, () => 'Cancelled; earlier suggestions are unchanged.');
          return CANCELLED_EXIT_CODE;
        }
        const report: SuggestReport = { ...result, summary: await client.call('suggestions.summary') };
        printResult(io, json, report, () => describe(report));
        return 0;
      } finally {
        await client.dispose();
      }
    },
  };
}

/** `graft suggest`. */
export const suggestCommand: CliCommand = createSuggestCommand();

function describe(r: SuggestReport): string {
  const source = r.source.kind === 'run' ? `${r.source.runName} (${r.source.checkpoint} checkpoint)` : `imported model "${r.source.name}"`;
  const perClass = Object.entries(r.perClass).sort((a, b) => b[1] - a[1]);
  return [
    `Suggested labels for ${r.suggested} of ${r.images} photos with ${source} in ${r.seconds.toFixed(1)} s on ${r.runtime === 'onnx' ? 'ONNX Runtime' : 'TensorFlow.js'}:`,
    ...perClass.map(([name, n]) => `  ${name}: ${n}`),
    ...(r.unreadable.length > 0 ? [`Could not read ${r.unreadable.length}:`, ...r.unreadable.map((u) => `  ${u.path}: ${u.reason}`)] : []),
    `${r.summary.pending} suggestions wait in the Label view${r.summary.rejected ? ` (${r.summary.rejected} rejected)` : ''}.`,
  ].join('\n');
}
