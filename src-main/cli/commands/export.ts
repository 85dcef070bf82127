import fs from 'node:fs';
import path from 'node:path';
import { GraftError } from '../../api/errors';
import { runId as runIdParser } from '../../api/params/training-params';
import { EXPORT_MARKER_FILE, type ExportFormat, type ExportResult, type ParityReport } from '../../api/types/export';
import { oneOf } from '../../base/parse';
import type { EngineSpawner } from '../../engine/host/engine-process';
import { jobResult, openAppClient } from '../app-client';
import { nodeEngineSpawner } from '../app-paths';
import { CANCELLED_EXIT_CODE, printResult, type CliCommand } from '../command';
import { option } from '../inference-options';
import { engineProgressLine, withProgress } from '../progress-printer';
import { requirePositional } from '../run-cli';

const USAGE = 'export <project-dir> --run ID [--checkpoint best|last] --format tfjs|keras|h5|onnx|keras-job [--out PATH] [--json]';

const FORMATS = ['tfjs', 'keras', 'h5', 'onnx', 'keras-job'] as const;

/** What `graft export --json` prints: where the export went, what it holds, and how it answered against the run. */
export interface ExportReport extends Omit<ExportResult, 'downloadUrl'> {
  runId: number;
  runName: string;
  checkpoint: 'best' | 'last';
}

/** What each format is, in the words of the help and the report. */
const FORMAT_NAMES: Record<ExportFormat, string> = {
  tfjs: 'a TensorFlow.js layers model',
  keras: 'a Keras 3 .keras archive',
  h5: 'a legacy Keras .h5 file',
  onnx: 'an ONNX model',
  'keras-job': 'a Keras training job',
};

/**
 * Checks `--out` before anything starts: a new or empty folder, or an earlier Graft export
 * (which the export replaces). The engine checks again when it writes.
 */
export function checkExportTarget(out: string): void {
  let entries: string[];
  try {
    if (!fs.statSync(out).isDirectory()) throw new GraftError('bad-request', `--out ${out} is a file, not a folder. Give a new or empty folder.`);
    entries = fs.readdirSync(out);
  } catch (error) {
    if (error instanceof GraftError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new GraftError('bad-request', `Cannot use --out ${out}: ${(error as Error).message}`);
  }
  if (entries.length === 0 || entries.includes(EXPORT_MARKER_FILE)) return;
  throw new GraftError(
    'bad-request',
    `--out ${out} is not empty (${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}) and is not an earlier Graft export; nothing was written. Give a new or empty folder.`,
  );
}

/** Makes `graft export`; the export runs in an engine started with `spawner`. */
export function createExportCommand(spawner: () => EngineSpawner = () => nodeEngineSpawner()): CliCommand {
  return {
    name: 'export',
    summary: 'Export a run\'s model as TF.js, Keras (.keras, .h5), ONNX or a Keras training job, checked against the run.',
    usage: USAGE,
    details: [
      'Formats:',
      '  tfjs: model.json + weights.bin, for tf.loadLayersModel in a browser or Node',
      '  keras: model.keras, a Keras 3 archive for keras.saving.load_model',
      '  h5: model.h5, the legacy Keras 2 layout (Keras 2, and Keras 3\'s legacy loader)',
      '  onnx: model.onnx, for ONNX Runtime (Python, C++, C#, JavaScript, mobile)',
      '  keras-job: train.py + config.json + the data as an ImageFolder tree (symlinks), to go on training with plain Keras on a GPU server or a cluster',
      'Every export also holds labels.json (class order), preprocessing.json (input size, resize, scaling), README.md (a model card with how to load it in Python and JavaScript) and report.html (the training report).',
      'The model files are read back and compared with the run\'s model on held-out images (max |Δ| of any class probability ≤ 1e-5 for TF.js and Keras, ≤ 1e-4 for ONNX); a failed check writes nothing and exits 1.',
      'Progress goes to stderr; the files and the check (or with --json one JSON document) to stdout. Ctrl+C cancels; a cancelled or failed export leaves nothing behind.',
    ],
    options: {
      run: { type: 'string', value: 'ID', required: true, description: 'the run to export (graft runs lists them)' },
      checkpoint: {
        type: 'string',
        value: 'best|last',
        description: 'which checkpoint: best (the epoch with the best validation score) or last',
        defaultText: 'best when the run saved one, else last',
      },
      format: { type: 'string', value: 'F', required: true, description: `what to write: ${FORMATS.join(', ')} (see Formats below)` },
      out: {
        type: 'string',
        value: 'PATH',
        description: 'the folder to write: new, empty, or an earlier Graft export (which is replaced); a folder with anything else in it is refused',
        defaultText: "the project's exports/<run-name>-<format>",
      },
    },
    async run({ positionals, values, json, io, signal }) {
      const dir = requirePositional(positionals, 0, 'the project folder', USAGE);
      const runId = option(values, 'run', runIdParser, 'whole');
      if (runId === undefined) throw new GraftError('bad-request', `Say which run with --run ID (graft runs lists them). Usage: graft ${USAGE}`);
      const format = option(values, 'format', oneOf(FORMATS));
      if (format === undefined) throw new GraftError('bad-request', `Say which format with --format (${FORMATS.join(', ')}). Usage: graft ${USAGE}`);
      const checkpoint = option(values, 'checkpoint', oneOf(['best', 'last'] as const));
      if (values.out === '') throw new GraftError('bad-request', '--out needs a folder.');
      const out = typeof values.out === 'string' ? path.resolve(values.out) : undefined;
      if (out) checkExportTarget(out);

      // The engine starts once the run is found to have the checkpoint.
      const client = openAppClient({ spawner: spawner(), projectDir: dir, io, lazyEngine: true });
      try {
        const run = await client.call('runs.get', { runId });
        const chosen = checkpoint ?? (run.checkpoints.best ? 'best' : 'last');
        if (!run.checkpoints[chosen]) {
          throw new GraftError('bad-request', `Run ${runId} "${run.name}" has no ${chosen} checkpoint to export${run.hasCheckpoint ? ' (try --checkpoint last)' : '; train it first'}.`);
        }
        const { jobId } = await client.call('runs.export', { runId, checkpoint: chosen, format, ...(out ? { out } : {}) });
        if (!json) io.err(`Exporting run ${runId} "${run.name}" (${chosen} checkpoint) as ${FORMAT_NAMES[format]}. Ctrl+C cancels.`);
        const job = await withProgress(io, json, engineProgressLine, (onProgress) => client.follow(jobId, 'export', { signal, onProgress }));
        const result = jobResult(job);
        if (!result) {
          printResult(io, json, { cancelled: true }, () => 'Cancelled; nothing was written.');
          return CANCELLED_EXIT_CODE;
        }
        // A browser's download link means nothing on the command line.
        const { downloadUrl: _browserOnly, ...written } = result;
        const report: ExportReport = { runId, runName: run.name, checkpoint: chosen, ...written };
        printResult(io, json, report, () => describeExport(report));
        return report.parity && !report.parity.passed ? 1 : 0;
      } finally {
        await client.dispose();
      }
    },
  };
}

/** `graft export`. */
export const exportCommand: CliCommand = createExportCommand();

/** The parity check in one line: max |Δ| against its bound, on how many images, read back with what. */
export function parityLine(parity: ParityReport): string {
  const verdict = parity.passed ? '≤' : '>';
  return (
    `Parity: max |Δ| ${parity.maxAbsDiff.toExponential(2)} ${verdict} ${parity.bound.toExponential(0)} on ${parity.images} held-out ${parity.images === 1 ? 'image' : 'images'}` +
    ` (${parity.reader}) — ${parity.passed ? 'passed' : 'FAILED'}`
  );
}

/** The human report of an export. */
export function describeExport(r: ExportReport): string {
  const lines = [
    `Exported run ${r.runId} "${r.runName}" (${r.checkpoint} checkpoint) as ${FORMAT_NAMES[r.format]}:`,
    r.dir,
    ...r.files.map((file) => `  ${file}`),
    r.parity ? parityLine(r.parity) : 'No parity check: a training job holds no trained model to compare.',
  ];
  if (r.format === 'keras-job') lines.push(`Run it where Keras is installed: cd ${r.dir} && python3 train.py (see README.md).`);
  else lines.push(`How to load it: ${path.join(r.dir, 'README.md')}`);
  return lines.join('\n');
}
