import type { ModelSummary } from '../../api/types/models';
import { GraftError } from '../../api/errors';
import type { Tf } from '../../engine/backend';
import type { Pooling } from '../../api/types/models';
import { summarizeModel, summaryBuildOptions } from '../../engine/models/model-summary';
import { ARCH_NAMES, ARCHITECTURES, isArchName } from '../../api/model-catalog';
import { printResult, type CliCommand, type CliValues } from '../command';
import { requirePositional } from '../run-cli';

const USAGE = 'model-summary <arch> [--no-top] [--pooling avg|max] [--input-size N] [--classes N]';

/** What `graft model-summary --json` prints (declared in the contract: `models.summary` returns it too). */
export type { ModelSummary };

/** Supplies the tfjs instance to build with; injected so tests and the engine can choose. */
export type TfLoader = () => Promise<Tf>;

/** The default loader: plain `@tensorflow/tfjs` on its pure-JS cpu backend, imported on first use. */
export const loadCpuTf: TfLoader = async () => {
  const tf = await import('@tensorflow/tfjs');
  await tf.setBackend('cpu');
  await tf.ready();
  return tf;
};

/** Makes the `graft model-summary` command with a given tfjs loader. */
export function createModelSummaryCommand(loadTf: TfLoader = loadCpuTf): CliCommand {
  return {
    name: 'model-summary',
    summary: 'Build an architecture (random weights) and show its layers, blocks and parameter counts.',
    usage: USAGE,
    details: [`Architectures: ${ARCH_NAMES.join(', ')}.`, 'Builds on the CPU; VGG16 with its top needs about 600 MB of memory.'],
    options: {
      'no-top': { type: 'boolean' },
      pooling: { type: 'string' },
      'input-size': { type: 'string' },
      classes: { type: 'string' },
    },
    async run({ positionals, values, json, io, signal }) {
      const arch = requirePositional(positionals, 0, 'architecture', USAGE);
      if (!isArchName(arch)) throw new GraftError('bad-request', `Unknown architecture "${arch}". Choose one of: ${ARCH_NAMES.join(', ')}.`);
      const includeTop = values['no-top'] !== true;
      const pooling = parsePooling(values.pooling);
      const size = parsePositiveInt(values['input-size'], '--input-size') ?? ARCHITECTURES[arch].defaultInputSize;
      const classes = parsePositiveInt(values.classes, '--classes') ?? 1000;
      const options = { includeTop, pooling, inputSize: size, classes };
      summaryBuildOptions(arch, options); // fail on bad options before loading tfjs
      const tf = await loadTf();
      if (signal.aborted) throw new GraftError('cancelled', 'Cancelled.');
      const summary = summarizeModel(tf, arch, options);
      printResult(io, json, summary, () => humanSummary(summary, ARCHITECTURES[arch].displayName));
      return 0;
    },
  };
}

/** `graft model-summary`, building with `@tensorflow/tfjs` on the cpu backend. */
export const modelSummaryCommand: CliCommand = createModelSummaryCommand();

function parsePooling(value: CliValues[string]): Pooling | undefined {
  if (value === undefined) return undefined;
  if (value === 'avg' || value === 'max') return value;
  throw new GraftError('bad-request', `--pooling must be "avg" or "max"; got "${String(value)}".`);
}

function parsePositiveInt(value: CliValues[string], flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) < 1) {
    throw new GraftError('bad-request', `${flag} must be a positive whole number; got "${String(value)}".`);
  }
  return Number(value);
}

function humanSummary(s: ModelSummary, displayName: string): string {
  const n = (value: number): string => value.toLocaleString('en-US');
  const top = s.includeTop ? `with its classifier (${s.classes} classes)` : `without top${s.pooling ? `, ${s.pooling} pooling` : ''}`;
  const nameWidth = Math.max(...s.blocks.map((b) => b.name.length));
  return [
    `${displayName}, input ${s.inputShape.join('×')}, ${top}`,
    `Layers: ${s.layers}`,
    `Parameters: ${n(s.totalParams)} total, ${n(s.trainableParams)} trainable, ${n(s.nonTrainableParams)} non-trainable`,
    'Blocks:',
    ...s.blocks.map((b) => `  ${b.name.padEnd(nameWidth)}  ${String(b.layers).padStart(3)} layers  ${n(b.params).padStart(11)} params`),
  ].join('\n');
}
