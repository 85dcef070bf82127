import type { ModelInfo } from '../../api/types/models';
import { listModels } from '../../api/model-catalog';
import type { WeightSource } from '../../api/types/models';
import { GraftError } from '../../api/errors';
import type { EngineSpawner } from '../../engine/host/engine-process';
import { nodeEngineSpawner } from '../app-paths';
import { printResult, type CliCommand } from '../command';
import { MODELS_IMPORT_OPTIONS, MODELS_IMPORT_USAGE, runModelsImport } from './models-import';

/** How each weight source reads in `graft models`. */
const SOURCE_LABELS: Record<WeightSource, string> = {
  imagenet: 'imagenet (download)',
  file: 'file',
  bundled: 'bundled',
};

/** One row of `graft models --json`: the model picker's entry, with weight sources spelled out. */
export type ModelListEntry = Omit<ModelInfo, 'weightSources'> & { weightSources: string[] };

/**
 * Makes `graft models` (the architectures Graft can fine-tune, with sizes, parameter counts and
 * weight sources) and `graft models import` (a trained model into a project); only the import
 * starts an engine, with `spawner`.
 */
export function createModelsCommand(spawner: () => EngineSpawner = () => nodeEngineSpawner()): CliCommand {
  return {
    name: 'models',
    summary: 'List the model architectures, their input sizes, parameter counts and weight sources; or import a trained model into a project.',
    usage: `models [--json]\n${MODELS_IMPORT_USAGE}`,
    details: [
      'Weight sources: imagenet (download) = Keras ImageNet weights, file = a Keras or tfjs file you pick, bundled = shipped with Graft, works offline.',
      'import takes a TF.js or Keras model (a Graft export folder, model.json, .keras or .h5) with a labels.json beside it, and a preprocessing.json unless its trunk is a Keras Applications one Graft recognises (Graft\'s exports have both); the imported model predicts in the app\'s Use page, pre-labels (graft suggest --model ID) and starts new runs (graft train --start-from model:ID). An ONNX export (model.onnx with its labels.json and preprocessing.json) imports too, to predict and pre-label; it cannot start a run.',
      'A model whose classes are not the project\'s is refused with the difference named, unless --map-classes says which project class each differing model class is.',
    ],
    options: MODELS_IMPORT_OPTIONS,
    async run({ positionals, values, json, io }) {
      if (positionals[0] === 'import') return runModelsImport({ positionals, values, json, io, spawner: spawner() });
      if (positionals.length > 0) throw new GraftError('bad-request', `Unknown models action "${positionals[0]}": graft models lists the architectures, graft models import imports a trained model.`);
      const given = Object.keys(MODELS_IMPORT_OPTIONS).filter((name) => values[name] !== undefined);
      if (given.length > 0) throw new GraftError('bad-request', `--${given[0]} is for graft models import. Usage: graft ${MODELS_IMPORT_USAGE}`);
      const entries: ModelListEntry[] = listModels().map((model) => ({ ...model, weightSources: model.weightSources.map((s) => SOURCE_LABELS[s]) }));
      printResult(io, json, { models: entries }, () => humanTable(entries));
      return 0;
    },
  };
}

/** `graft models`. */
export const modelsCommand: CliCommand = createModelsCommand();

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
