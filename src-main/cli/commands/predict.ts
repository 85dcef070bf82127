import path from 'node:path';
import { GraftError } from '../../api/errors';
import { labelsFile, preprocessingSpecParser } from '../../api/params/predict-params';
import { runtimeChoice } from '../../api/params/inference-params';
import { runId as runIdParser } from '../../api/params/training-params';
import type { PredictFilesResult, PredictModelRef } from '../../api/types/predict';
import { oneOf, ParseError, positiveInt, type Parser } from '../../base/parse';
import { readRegularFile } from '../../base/regular-file';
import type { EngineSpawner } from '../../engine/host/engine-process';
import { jobResult, openAppClient } from '../app-client';
import { nodeEngineSpawner } from '../app-paths';
import { CANCELLED_EXIT_CODE, printResult, type CliCommand, type CliValues } from '../command';
import { isProjectDir } from '../image-sources';
import { option, RUNTIME_OPTIONS } from '../inference-options';
import { engineProgressLine, withProgress } from '../progress-printer';
import { requirePositional } from '../run-cli';

const USAGE = [
  'predict <model-path> <image|folder ...> [--top K] [--csv FILE] [--runtime auto|onnx|tfjs] [--labels FILE] [--preprocessing FILE|caffe|tf|torch|unit] [--json]',
  'predict <project-dir> --run ID [--checkpoint best|last] <image|folder ...> [--top K] [--csv FILE] [--runtime auto|onnx|tfjs] [--json]',
].join('\n');

const MODES = ['caffe', 'tf', 'torch', 'unit'] as const;

/** Largest labels or preprocessing file read: both are a few kilobytes. */
const OPTION_FILE_MAX_BYTES = 16 << 20;

/** The text of a file an option names: a regular file only (a pipe is never waited on), bounded in size. */
async function readOptionFile(file: string, name: string): Promise<string> {
  try {
    return (await readRegularFile(file, { maxBytes: OPTION_FILE_MAX_BYTES, what: `--${name} ${file}` })).toString('utf8');
  } catch (error) {
    throw new GraftError('bad-request', `--${name} ${file} cannot be read: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Reads a file the user names for the CLI, parsed as JSON with `parse`; a clear error names the option. */
async function readJsonOption<T>(file: string, name: string, parse: Parser<T>): Promise<T> {
  const text = await readOptionFile(file, name);
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    throw new GraftError('bad-request', `--${name} ${file} cannot be read as JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  try {
    return parse(value, `--${name}`);
  } catch (error) {
    if (error instanceof ParseError) throw new GraftError('bad-request', `--${name} ${file} is not what Graft expects: ${error.message}`);
    throw error;
  }
}

/** `--labels FILE`: a labels.json (`{"classes": [...]}` or a list), or a text file with one class per line. */
async function labelsOption(values: CliValues): Promise<string[] | undefined> {
  const file = values.labels;
  if (typeof file !== 'string') return undefined;
  if (path.extname(file).toLowerCase() === '.json') return readJsonOption(file, 'labels', labelsFile);
  const text = await readOptionFile(file, 'labels');
  const names = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0);
  if (names.length === 0) throw new GraftError('bad-request', `--labels ${file} names no classes.`);
  return names;
}

/** The model `--run` or the model path names, with what the options say about it. */
async function modelRef(target: string, values: CliValues): Promise<{ ref: PredictModelRef; projectDir?: string }> {
  const run = option(values, 'run', runIdParser, 'whole');
  const checkpoint = option(values, 'checkpoint', oneOf(['best', 'last'] as const));
  const resolved = path.resolve(target);
  if (isProjectDir(resolved)) {
    if (run === undefined) throw new GraftError('bad-request', `${resolved} is a project: say which run predicts with --run ID (graft runs lists them).`);
    if (values.labels !== undefined || values.preprocessing !== undefined) throw new GraftError('bad-request', 'A run knows its classes and preprocessing; --labels and --preprocessing are for model files.');
    return { ref: { runId: run, checkpoint }, projectDir: resolved };
  }
  if (run !== undefined || checkpoint !== undefined) throw new GraftError('bad-request', `--run and --checkpoint pick a run of a project; ${resolved} is not a project folder.`);
  const preprocessing = values.preprocessing;
  const mode = typeof preprocessing === 'string' && (MODES as readonly string[]).includes(preprocessing) ? (preprocessing as (typeof MODES)[number]) : undefined;
  const spec = typeof preprocessing === 'string' && !mode ? await readJsonOption(preprocessing, 'preprocessing', preprocessingSpecParser) : undefined;
  return { ref: { modelPath: resolved, classes: await labelsOption(values), preprocessing: spec, preprocessMode: mode } };
}

/** Makes `graft predict`; the model runs in an engine started with `spawner`. */
export function createPredictCommand(spawner: () => EngineSpawner = () => nodeEngineSpawner()): CliCommand {
  return {
    name: 'predict',
    summary: 'Predict photos with a trained model: an export of any format (TF.js, .keras, .h5, ONNX) or a run of a project.',
    usage: USAGE,
    details: [
      'The model is an export folder or file (model.json, model.onnx, model.keras, model.h5) with the labels.json and preprocessing.json Graft writes beside it, or a project folder with --run.',
      'A Keras classifier Graft did not make works too: give --labels, and --preprocessing unless its layers are a Keras Applications trunk Graft recognises; what Graft assumed is printed.',
      'Folders are searched recursively for JPEG (.jpg, .jpeg, .jpe, .jfif), PNG, WebP, GIF, TIFF (.tif, .tiff) and AVIF files. Photos that cannot be read are listed with the reason; the exit code is 1 only when none could be.',
      'The CSV has the columns path, label, probability, then one column per class with its probability.',
      'Runs on ONNX Runtime where it loads (TF.js and Keras models are converted), else TensorFlow.js. Progress goes to stderr; Ctrl+C cancels.',
    ],
    options: {
      run: { type: 'string', value: 'ID', description: 'with a project folder: the run whose checkpoint predicts (graft runs lists them)', defaultText: 'none: the model is a file' },
      checkpoint: { type: 'string', value: 'best|last', description: 'with --run: which checkpoint', defaultText: 'best when the run saved one, else last' },
      top: { type: 'string', value: 'K', description: 'classes listed per photo', defaultText: '5' },
      csv: { type: 'string', value: 'FILE', description: 'also write the predictions to this .csv (a new file, or an earlier predictions CSV)', defaultText: 'no CSV' },
      runtime: RUNTIME_OPTIONS.runtime!,
      labels: { type: 'string', value: 'FILE', description: 'the class names in output order: a labels.json, or a text file with one per line', defaultText: 'labels.json beside the model' },
      preprocessing: {
        type: 'string',
        value: 'FILE|caffe|tf|torch|unit',
        description: 'a preprocessing.json, or only the scaling at the model\'s input size (Keras preprocess_input modes; unit: x/255)',
        defaultText: 'preprocessing.json beside the model',
      },
    },
    async run({ positionals, values, json, io, signal }) {
      const target = requirePositional(positionals, 0, 'the model (an export folder or file) or a project folder', USAGE);
      if (positionals.length < 2) throw new GraftError('bad-request', `Give at least one image or folder to predict. Usage: graft ${USAGE.split('\n')[0]}`);
      const { ref, projectDir } = await modelRef(target, values);
      const top = option(values, 'top', positiveInt(100_000), 'whole') ?? 5;
      const runtime = option(values, 'runtime', runtimeChoice);
      const csvPath = typeof values.csv === 'string' ? path.resolve(values.csv) : undefined;
      const client = openAppClient({ spawner: spawner(), projectDir, io, lazyEngine: true });
      try {
        const { jobId } = await client.call('predict.files', { paths: positionals.slice(1).map((p) => path.resolve(p)), model: ref, top, runtime, csvPath });
        const job = await withProgress(io, json, engineProgressLine, (onProgress) => client.follow(jobId, 'predict', { signal, onProgress }));
        const result = jobResult(job);
        if (!result) {
          printResult(io, json, { cancelled: true }, () => 'Cancelled; no CSV was written.');
          return CANCELLED_EXIT_CODE;
        }
        printResult(io, json, result, () => describe(result));
        return result.results.length > 0 ? 0 : 1;
      } finally {
        await client.dispose();
      }
    },
  };
}

/** `graft predict`, with the engine started the way the CLI starts it. */
export const predictCommand: CliCommand = createPredictCommand();

function percent(p: number): string {
  return `${(p * 100).toFixed(1)}%`;
}

/** The human report: the model, what was assumed, a line per photo, the unreadable ones, the speed. */
export function describe(r: PredictFilesResult): string {
  const runtime = r.runtime === 'onnx' ? `ONNX Runtime (${r.runtimeDetails})` : `TensorFlow.js (${r.runtimeDetails})`;
  const lines = [
    `Model: ${r.model.file} (${r.model.format}), ${r.model.classes.length} classes, ${r.model.preprocessing.width}×${r.model.preprocessing.height} ${r.model.preprocessing.mode} preprocessing`,
    `Runtime: ${runtime}${r.fallbackReason ? ` — ONNX Runtime not used: ${r.fallbackReason}` : ''}`,
    ...r.model.assumptions.map((a) => `Assumed: ${a}`),
    '',
  ];
  for (const row of r.results) {
    const [first, ...rest] = row.top;
    lines.push(`${row.path}  ${first ? `${first.label} ${percent(first.probability)}` : ''}${rest.length ? `  (${rest.map((t) => `${t.label} ${percent(t.probability)}`).join(', ')})` : ''}`);
  }
  if (r.unreadable.length > 0) lines.push('', `Could not read ${r.unreadable.length}:`, ...r.unreadable.map((u) => `  ${u.path}: ${u.reason}`));
  lines.push('', `${r.results.length} of ${r.images} photos predicted in ${r.seconds.toFixed(1)} s (${r.imagesPerSecond.toFixed(1)} photos/s)${r.csvPath ? `; CSV: ${r.csvPath}` : ''}`);
  return lines.join('\n');
}
