import type { ModelInfo } from '../../api/types/models';
import { listModels } from '../../api/model-catalog';
import type { WeightSource } from '../../api/types/models';
import { printResult, type CliCommand } from '../command';

/** How each weight source reads in `graft models`. */
const SOURCE_LABELS: Record<WeightSource, string> = {
  imagenet: 'imagenet (download)',
  file: 'file',
  bundled: 'bundled',
};

/** One row of `graft models --json`: the model picker's entry, with weight sources spelled out. */
export type ModelListEntry = Omit<ModelInfo, 'weightSources'> & { weightSources: string[] };

/** `graft models`: the architectures Graft can fine-tune, with sizes, parameter counts and weight sources. */
export const modelsCommand: CliCommand = {
  name: 'models',
  summary: 'List the model architectures, their input sizes, parameter counts and weight sources.',
  usage: 'models [--json]',
  details: ['Weight sources: imagenet (download) = Keras ImageNet weights, file = a Keras or tfjs file you pick, bundled = shipped with Graft, works offline.'],
  options: {},
  async run({ json, io }) {
    const entries: ModelListEntry[] = listModels().map((model) => ({ ...model, weightSources: model.weightSources.map((s) => SOURCE_LABELS[s]) }));
    printResult(io, json, { models: entries }, () => humanTable(entries));
    return 0;
  },
};

function humanTable(entries: ModelListEntry[]): string {
  const rows = [
    ['ARCH', 'NAME', 'INPUT', 'MIN', 'PARAMS (TOP)', 'PARAMS (NO TOP)', 'PREPROCESS', 'WEIGHTS'],
    ...entries.map((e) => [
      e.arch,
      e.name,
      `${e.defaultInputSize}×${e.defaultInputSize}`,
      String(e.minInputSize),
      e.params.withTop.toLocaleString('en-US'),
      e.params.withoutTop.toLocaleString('en-US'),
      e.preprocessing,
      e.weightSources.join(', '),
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')).join('\n');
}
