import type { ExportFormat, ParityReport } from '../../../src-main/api/types/export';
import type { RunSummary } from '../../../src-main/api/types/runs';

/** How the Export page presents a format: its name, what it is, who it is for, and the model files it writes. */
export interface FormatChoice {
  format: ExportFormat;
  name: string;
  what: string;
  forWhom: string;
}

/** The formats in the order the page offers them. */
export const FORMAT_CHOICES: readonly FormatChoice[] = [
  {
    format: 'tfjs',
    name: 'TensorFlow.js',
    what: 'model.json and weights.bin, loaded with tf.loadLayersModel.',
    forWhom: 'web pages and Node apps that run the model in JavaScript.',
  },
  {
    format: 'onnx',
    name: 'ONNX',
    what: 'model.onnx, for ONNX Runtime.',
    forWhom: 'fast inference from Python, C++, C#, Java, mobile or the web, without TensorFlow.',
  },
  {
    format: 'keras',
    name: 'Keras .keras',
    what: 'A Keras 3 archive, loaded with keras.saving.load_model.',
    forWhom: 'Python with Keras 3 (TensorFlow 2.16 and later), to predict or train further.',
  },
  {
    format: 'h5',
    name: 'Keras .h5 (legacy)',
    what: 'The Keras 2 HDF5 file, also read by Keras 3\'s legacy loader.',
    forWhom: 'older TensorFlow 2 code and tools that only read .h5.',
  },
  {
    format: 'keras-job',
    name: 'Keras training job',
    what: 'train.py, config.json and the photos as an ImageFolder tree (links); no trained weights.',
    forWhom: 'training on with the same recipe on a GPU server or a cluster, in plain Keras.',
  },
];

/** The page's name of a format. */
export function formatName(format: ExportFormat): string {
  return FORMAT_CHOICES.find((c) => c.format === format)?.name ?? format;
}

/** A small difference in scientific notation, as the CLI and the model card print it (`1.79e-7`). */
export function formatDelta(value: number): string {
  return Number.isFinite(value) ? value.toExponential(2) : '∞';
}

/** The parity check in one sentence: max |Δ| against its bound, on how many images, read back with what. */
export function parityText(parity: ParityReport): string {
  const images = `${parity.images} held-out ${parity.images === 1 ? 'image' : 'images'}`;
  return `max |Δ| ${formatDelta(parity.maxAbsDiff)} ${parity.passed ? '≤' : '>'} ${parity.bound.toExponential(0)} on ${images}, read back with ${parity.reader}`;
}

/** Runs that have a checkpoint to export and are not training. */
export function exportableRuns(runs: readonly RunSummary[]): RunSummary[] {
  return runs.filter((run) => run.hasCheckpoint && run.status !== 'running');
}

/** The run the page starts on: the asked one when it can be exported, else the newest finished, else the newest exportable. */
export function defaultRunId(runs: readonly RunSummary[], asked: number | null): number | null {
  const candidates = exportableRuns(runs);
  if (asked !== null && candidates.some((run) => run.id === asked)) return asked;
  const newest = [...candidates].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
  return (newest.find((run) => run.status === 'completed' || run.status === 'stopped-early') ?? newest[0])?.id ?? null;
}

/** A run as the run picker lists it: name, test accuracy or best validation accuracy, and how it ended when it did not finish. */
export function runLabel(run: RunSummary): string {
  const accuracy = run.testAcc !== null ? ` · test ${(run.testAcc * 100).toFixed(1)}%` : run.best?.valAcc != null ? ` · val ${(run.best.valAcc * 100).toFixed(1)}%` : '';
  const ended = run.status === 'completed' || run.status === 'stopped-early' ? '' : ` (${run.status})`;
  return `${run.name}${accuracy}${ended}`;
}
