/**
 * Long-running jobs as plain data: what each kind of job takes, reports while it runs and
 * returns. Every job (import, export, self-test, later training) is declared here once.
 */
import type { ApiError } from '../errors';
import type { ImportOptions, ImportProgress, ImportSummary } from './import';
import type { ImageFolderExport, ImageFolderOptions, ImageFolderProgress } from './library';
import type { DownloadedWeights, DownloadWeightsParams } from './models';
import type { ExportParams, ExportResult } from './export';
import type { PredictFilesParams, PredictFilesResult, PredictProgress, SuggestionsRunParams, SuggestionsRunResult } from './predict';
import type { EvaluateParams, EvaluationSummary, LrFinderRequest, LrFinderResult, RunSummary, TrainingStartParams, TrainProgress } from './runs';

/** Parameters of `library.import`: the folder and the import options. */
export interface LibraryImportParams extends ImportOptions {
  folder: string;
}

/** Parameters of `labels.exportImageFolder`: where to write and how. */
export interface ImageFolderExportParams extends ImageFolderOptions {
  dir: string;
}

/** Parameters of the engine's self-test: matrix size and iterations. */
export interface SelfTestParams {
  size: number;
  iterations: number;
}

/** Result of the engine's self-test: a timed matrix-multiply loop. */
export interface EngineSelfTest {
  backend: string;
  iterations: number;
  seconds: number;
  gflops: number;
}

/** Progress of a job that counts steps (self-test iterations, files, batches). */
export interface StepProgress {
  done: number;
  total: number;
  message: string;
}

/** Every kind of job: name → its parameters, progress and result. */
export interface JobKinds {
  import: { params: LibraryImportParams; progress: ImportProgress; result: ImportSummary };
  'image-folder-export': { params: ImageFolderExportParams; progress: ImageFolderProgress; result: ImageFolderExport };
  'self-test': { params: SelfTestParams; progress: StepProgress; result: EngineSelfTest };
  /** A training run (new, or resumed from its last checkpoint when `resumeRunId` is set). */
  train: { params: TrainingStartParams & { resumeRunId?: number }; progress: TrainProgress; result: RunSummary };
  'lr-find': { params: LrFinderRequest; progress: StepProgress; result: LrFinderResult };
  evaluate: { params: EvaluateParams; progress: StepProgress; result: EvaluationSummary };
  download: { params: DownloadWeightsParams; progress: StepProgress; result: DownloadedWeights };
  export: { params: ExportParams; progress: StepProgress; result: ExportResult };
  /** Batch prediction of files and folders (`predict.files`). */
  predict: { params: PredictFilesParams; progress: PredictProgress; result: PredictFilesResult };
  /** Pre-labelling: a model over the project's unlabelled images, its suggestions stored (`suggestions.run`). */
  suggest: { params: SuggestionsRunParams; progress: PredictProgress; result: SuggestionsRunResult };
}

/** A kind of job. */
export type JobKind = keyof JobKinds;

/** Where a job is in its life. `queued` waits for the engine; the last three are final. */
export type JobStatus = 'queued' | 'running' | 'paused' | 'succeeded' | 'failed' | 'cancelled';

/** Statuses after which a job never changes again. */
export const FINAL_JOB_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];

/** One job of kind K as every window sees it (`jobs.list`, `jobs.get`, job events). */
export interface JobInfoOf<K extends JobKind> {
  id: string;
  kind: K;
  /** What the job does, in words ("Import /photos"). */
  title: string;
  status: JobStatus;
  params: JobKinds[K]['params'];
  /** Latest progress; null before the first report. */
  progress: JobKinds[K]['progress'] | null;
  /** Place in the engine's queue (1 = next) while queued; null otherwise. */
  queuePosition: number | null;
  /** Whether `jobs.pause` can pause this job. */
  canPause: boolean;
  /** ISO 8601 times. */
  startedAt: string;
  finishedAt: string | null;
  result: JobKinds[K]['result'] | null;
  error: ApiError | null;
}

/** Any job, discriminated by `kind`. */
export type JobInfo = { [K in JobKind]: JobInfoOf<K> }[JobKind];

/** What a request that starts a job returns at once: the id to follow it by. */
export interface JobStarted {
  jobId: string;
}

/** Pushed as `job.progress`: the latest progress of one job, typed by its kind. */
export type JobProgressEvent = { [K in JobKind]: { jobId: string; kind: K; progress: JobKinds[K]['progress'] } }[JobKind];

/** Pushed as `job.started`, `job.state`, `job.finished` and `job.failed`: the whole job. */
export interface JobEvent {
  job: JobInfo;
}
