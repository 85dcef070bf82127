import path from 'node:path';
import { GraftError } from '../../api/errors';
import type { ImportedModel, ModelImportParams } from '../../api/types/predict';
import type { EngineSpawner } from '../../engine/host/engine-process';
import { openAppClient } from '../app-client';
import type { CliIo, CliOptions, CliValues } from '../command';
import { printResult } from '../command';
import { requirePositional } from '../run-cli';
import { quoteArg } from '../training-session';

/** The usage line of `graft models import`. */
export const MODELS_IMPORT_USAGE = 'models import <project-dir> <model-path> [--name NAME] [--map-classes MODEL=PROJECT ...] [--reference] [--json]';

/** The options only `graft models import` takes (`graft models` alone refuses them). */
export const MODELS_IMPORT_OPTIONS: CliOptions = {
  name: { type: 'string', value: 'NAME', description: 'import: how the project lists the model', defaultText: 'the last part of the model path' },
  'map-classes': {
    type: 'string',
    multiple: true,
    value: 'MODEL=PROJECT',
    description: 'import: the project class a model class stands for, once per class whose name differs',
    defaultText: 'none: the classes must be the project\'s',
  },
  reference: { type: 'boolean', description: 'import: use the model where it is instead of copying it into the project\'s models/ folder' },
};

/** Reads the repeated `--map-classes MODEL=PROJECT` into `models.import`'s class map (split at the first "="). */
export function parseClassMap(values: CliValues): Record<string, string> | undefined {
  const raw = values['map-classes'];
  if (raw === undefined) return undefined;
  const map: Record<string, string> = {};
  for (const pair of (Array.isArray(raw) ? raw : [raw]).map(String)) {
    const at = pair.indexOf('=');
    const from = pair.slice(0, at).trim();
    const to = pair.slice(at + 1).trim();
    if (at < 0 || !from || !to) throw new GraftError('bad-request', `--map-classes takes MODEL=PROJECT (a model class, "=", a project class); got "${pair}".`);
    if (Object.hasOwn(map, from) && map[from] !== to) throw new GraftError('bad-request', `--map-classes maps "${from}" twice ("${map[from]}" and "${to}").`);
    map[from] = to;
  }
  return map;
}

/** The main side's refusal speaks of the request's `mapClasses`; at the command line the option is named instead. */
function inCliTerms(error: unknown): unknown {
  if (!(error instanceof GraftError)) return error;
  const message = error.message.replace(/\(mapClasses: [^)]*\)/, '(--map-classes "MODEL CLASS=PROJECT CLASS", once per class)');
  return message === error.message ? error : new GraftError(error.code, message, error.details);
}

/** `graft models import <project-dir> <model-path>`: a thin wrapper over the `models.import` request. */
export async function runModelsImport(args: { positionals: string[]; values: CliValues; json: boolean; io: CliIo; spawner: EngineSpawner }): Promise<number> {
  const { positionals, values, json, io } = args;
  const projectDir = requirePositional(positionals, 1, 'the project folder', MODELS_IMPORT_USAGE);
  const modelPath = requirePositional(positionals, 2, 'the model (an export folder, model.json, .keras or .h5 file)', MODELS_IMPORT_USAGE);
  if (positionals.length > 3) throw new GraftError('bad-request', `One model per import; unexpected "${positionals[3]}". Usage: graft ${MODELS_IMPORT_USAGE}`);
  const mapClasses = parseClassMap(values);
  const params: ModelImportParams = {
    path: path.resolve(modelPath),
    ...(typeof values.name === 'string' ? { name: values.name } : {}),
    ...(mapClasses ? { mapClasses } : {}),
    ...(values.reference === true ? { copy: false } : {}),
  };
  const client = openAppClient({ spawner: args.spawner, projectDir, io, lazyEngine: true });
  try {
    let model: ImportedModel;
    try {
      model = await client.call('models.import', params);
    } catch (error) {
      throw inCliTerms(error);
    }
    printResult(io, json, model, () => describeImport(model, projectDir));
    return 0;
  } finally {
    await client.dispose();
  }
}

/** What an import says: the id to use it by, where it lives, how its classes meet the project's, what was assumed. */
export function describeImport(model: ImportedModel, projectDir: string): string {
  const mapped = Object.entries(model.classMap).filter(([from, to]) => from !== to);
  return [
    `Imported "${model.name}" as model ${model.id} (${model.format}, ${model.copied ? 'copied to' : 'used where it is:'} ${model.path}).`,
    `Classes: ${model.classes.map((c) => (model.classMap[c] && model.classMap[c] !== c ? `${c} → ${model.classMap[c]}` : c)).join(', ')}${mapped.length ? '' : ' (the project\'s)'}`,
    ...model.assumptions.map((a) => `Assumed: ${a}`),
    `Pre-label with it: graft suggest ${quoteArg(projectDir)} --model ${model.id}; continue training it: graft train ${quoteArg(projectDir)} --base ARCH --start-from model:${model.id} (its architecture).`,
  ].join('\n');
}
