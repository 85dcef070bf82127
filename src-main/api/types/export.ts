/**
 * Plain-data types of exports: the formats a run leaves as, what an export wrote, and the
 * preprocessing a model needs (written as `preprocessing.json` beside every export).
 */
import type { SplitName } from './library';
import type { EvaluationSummary, RunImage, RunStage, TrainingConfig } from './runs';
import type { EpochRecord } from './training';

/** The file that says a folder is a Graft export (so a new export may replace it). */
export const EXPORT_MARKER_FILE = 'graft-export.json';

/** What a run can be exported as. */
export type ExportFormat = 'tfjs' | 'keras' | 'h5' | 'onnx' | 'keras-job';

/** Parameters of `runs.export`. */
export interface ExportParams {
  runId: number;
  checkpoint: 'best' | 'last';
  format: ExportFormat;
  /** The folder to write; the project's `exports/<run>-<format>` when absent. It must be new, empty, or an earlier export. */
  out?: string;
}

/** How exported files answer compared with the run's own model, on held-out images. */
export interface ParityReport {
  /** Largest absolute difference of any class probability. */
  maxAbsDiff: number;
  /** What the file was read back with (our reader, ONNX Runtime). */
  reader: string;
  images: number;
  /** Whether max|Δ| is within the format's bound (1e-5 for TF.js and Keras, 1e-4 for ONNX). */
  passed: boolean;
  bound: number;
}

/** What an export wrote. */
export interface ExportResult {
  format: ExportFormat;
  dir: string;
  /** File names inside `dir`. */
  files: string[];
  /** Null for a Keras training job (nothing to compare). */
  parity: ParityReport | null;
  /** Under `graft serve`, where a browser downloads the folder as a zip (exports inside the project only); null elsewhere. */
  downloadUrl?: string | null;
}

/**
 * Everything needed to reproduce the app's input for an exported model (`preprocessing.json`).
 * Steps in order: decode, apply EXIF orientation, drop alpha, convert to sRGB RGB, resize
 * (stretch, no crop) to width × height with `interpolation`, then per channel
 * `(value × scale + offset − mean) / std` in `channelOrder`.
 */
export interface PreprocessingSpec {
  width: number;
  height: number;
  resize: 'stretch';
  interpolation: 'bilinear';
  exifOrientation: true;
  alpha: 'drop';
  channelOrder: 'RGB' | 'BGR';
  layout: 'NHWC';
  dtype: 'float32';
  /** Keras `preprocess_input` mode, or `unit` (x / 255) for the bundled trunks. */
  mode: 'caffe' | 'tf' | 'torch' | 'unit';
  scale: number;
  offset: number;
  mean: [number, number, number];
  std: [number, number, number];
}

/** The data a model card and report describe: counts per class and split. */
export interface DatasetCounts {
  classes: string[];
  perClass: Record<SplitName, number>[];
}

/** What an export says about the run it comes from (model card, report). */
export interface ExportMeta {
  runId: number;
  runName: string;
  createdAt: string;
  appVersion: string;
  checkpoint: 'best' | 'last';
  config: TrainingConfig;
  classes: string[];
  counts: DatasetCounts;
  history: (EpochRecord & { stage: RunStage })[];
  evaluations: EvaluationSummary[];
  backend: string | null;
  runtime: string | null;
}

/** The engine's `export`: the run's checkpoint, where to write, the run's description, and images for the parity check. */
export interface ExportJob {
  runDir: string;
  checkpoint: 'best' | 'last';
  format: ExportFormat;
  outDir: string;
  meta: ExportMeta;
  /** Held-out images the export is checked on. */
  parityImages: RunImage[];
  /** Every image of the run (the data tree of a Keras training job). */
  images: RunImage[];
}
