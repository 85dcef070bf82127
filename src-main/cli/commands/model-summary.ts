import { ARCH_NAMES, ARCHITECTURES, isArchName } from '../../api/model-catalog';
import { GraftError } from '../../api/errors';
import { classCount, inputSize as inputSizeParser, pooling as poolingParser } from '../../api/params/models-params';
import type { ModelSummary, ModelSummaryParams } from '../../api/types/models';
import { EngineClient } from '../../engine/host/engine-client';
import type { EngineSpawner } from '../../engine/host/engine-process';
import { nodeEngineSpawner } from '../app-paths';
import { printResult, type CliCommand, type CliValues } from '../command';
import { option } from '../inference-options';
import { kerasSummaryTable } from '../keras-summary';
import { requirePositional } from '../run-cli';

const USAGE = 'model-summary <arch> [--no-top [--pooling avg|max]] [--input-size N] [--classes N] [--layers] [--json]';

/** Makes the `graft model-summary` command; the model is built in an engine started by `spawner`. */
export function createModelSummaryCommand(spawner: () => EngineSpawner = () => nodeEngineSpawner()): CliCommand {
  return {
    name: 'model-summary',
    summary: 'Build an architecture (random weights) and show its layers, blocks and parameter counts.',
    usage: USAGE,
    details: [
      `Architectures: ${ARCH_NAMES.join(', ')}.`,
      'Options that do not fit together (--classes with --no-top, --pooling without it) are refused, not dropped.',
      'Built in the engine process; VGG16 with its top needs about 600 MB of memory.',
    ],
    options: {
      'no-top': { type: 'boolean', description: 'leave out the classifier (what fine-tuning grafts a new head onto)' },
      pooling: { type: 'string', value: 'avg|max', description: 'global pooling after the last block (only with --no-top)', defaultText: 'none, the 4-D feature map' },
      'input-size': { type: 'string', value: 'N', description: 'square input side in pixels', defaultText: "the architecture's, e.g. 224" },
      classes: { type: 'string', value: 'N', description: 'classes of the classifier (only with the top)', defaultText: '1000' },
      layers: { type: 'boolean', description: "print every layer as Keras's model.summary() does, then the totals (--json always lists them)" },
    },
    async run({ positionals, values, json, io, signal }) {
      const params = summaryParams(requirePositional(positionals, 0, 'architecture', USAGE), values);
      const engine = new EngineClient(spawner());
      try {
        const summary = await engine.request('modelSummary', params, { signal });
        const name = ARCHITECTURES[summary.arch].kerasName;
        printResult(io, json, summary, () =>
          values.layers === true ? kerasSummaryTable(summary, name) : humanSummary(summary, ARCHITECTURES[summary.arch].displayName),
        );
        return 0;
      } finally {
        await engine.dispose();
      }
    },
  };
}

/** `graft model-summary`, built in the engine the CLI starts. */
export const modelSummaryCommand: CliCommand = createModelSummaryCommand();

/** Checks the options before any engine starts; options Keras would ignore are refused, not dropped. */
function summaryParams(arch: string, values: CliValues): ModelSummaryParams {
  if (!isArchName(arch)) throw new GraftError('bad-request', `Unknown architecture "${arch}". Choose one of: ${ARCH_NAMES.join(', ')}.`);
  const includeTop = values['no-top'] !== true;
  const pooling = option(values, 'pooling', poolingParser);
  const inputSize = option(values, 'input-size', inputSizeParser, 'whole');
  const classes = option(values, 'classes', classCount, 'whole');
  if (!includeTop && classes !== undefined) {
    throw new GraftError('bad-request', '--classes sets the size of the classifier, which --no-top leaves out. Drop --classes, or keep the top.');
  }
  if (includeTop && pooling !== undefined) {
    throw new GraftError('bad-request', '--pooling applies only with --no-top (the classifier brings its own). Add --no-top, or drop --pooling.');
  }
  return { arch, includeTop, pooling, inputSize, classes };
}

function humanSummary(s: ModelSummary, displayName: string): string {
  const n = (value: number): string => value.toLocaleString('en-US');
  const top = s.includeTop ? `with its classifier (${s.classes} classes)` : `without top${s.pooling ? `, ${s.pooling} pooling` : ''}`;
  const nameWidth = Math.max(...s.blocks.map((b) => b.name.length));
  return [
    `${displayName}, input ${s.inputShape.join('×')}, ${top}`,
    `Layers: ${s.layers} (--layers lists them)`,
    `Parameters: ${n(s.totalParams)} total, ${n(s.trainableParams)} trainable, ${n(s.nonTrainableParams)} non-trainable`,
    'Blocks:',
    ...s.blocks.map((b) => `  ${b.name.padEnd(nameWidth)}  ${String(b.layers).padStart(3)} layers  ${n(b.params).padStart(11)} params`),
  ].join('\n');
}
