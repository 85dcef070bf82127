import type { HandlerSlice } from '../../api/dispatcher';
import { GraftError } from '../../api/errors';
import { FINAL_JOB_STATUSES } from '../../api/types/jobs';
import type { RunInit } from '../../api/types/predict';
import type { DatasetSnapshot, TrainingConfig } from '../../api/types/runs';
import type { AppContext } from '../app-context';
import type { JobContext } from '../jobs/job-registry';
import type { Project } from '../project/project';
import { checkDataset, lastTrainingConfig, rememberTrainingConfig } from '../runs/dataset-check';
import { snapshotForTraining } from '../runs/dataset-snapshot';
import { resolveStartFrom } from '../runs/start-from';
import { listPredictions } from '../runs/predictions';
import { withDownloadUrl } from '../runs/export-download';
import { exportJobFor } from '../runs/export-job';
import { getImage } from '../library';
import { mediaUrl } from '../../api/media-url';
import { trainingConfig } from '../../api/params/training-params';
import { createRunRecorder } from '../runs/run-recorder';
import {
  createRun,
  deleteRun,
  failRun,
  finishRun,
  getRun,
  listRuns,
  recordEvaluation,
  renameRun,
  reopenRun,
  runDir,
  runImages,
  runSetup,
} from '../runs/run-store';

/** An image of the library by id, as the engine needs it. */
function imageRef(project: Project, imageId: number): { path: string; contentHash: string } {
  const image = getImage(project, imageId);
  if (!image) throw new GraftError('not-found', `Image ${imageId} is not in this project.`);
  return { path: image.path, contentHash: image.contentHash };
}

type RunRequests =
  | 'training.check'
  | 'training.lastConfig'
  | 'training.augmentPreview'
  | 'runs.predictions'
  | 'runs.gradCam'
  | 'runs.export'
  | 'training.start'
  | 'training.resume'
  | 'training.lrFind'
  | 'runs.list'
  | 'runs.get'
  | 'runs.rename'
  | 'runs.delete'
  | 'runs.evaluate';

/** Handlers for training runs: start, resume, the LR range test, evaluation, and the runs list. */
export function runsApi(ctx: AppContext): HandlerSlice<RunRequests> {
  const project = () => ctx.session.require();
  const changed = (runId: number) => ctx.bus.emit('runs.changed', { runId });
  const trainingJobOf = (runId: number) =>
    ctx.jobs.list().find((job) => job.kind === 'train' && !FINAL_JOB_STATUSES.includes(job.status) && job.progress?.runId === runId);

  /** Runs a training job for run `runId` (new or resumed) and records what its events say. */
  const startTraining = (scope: Project, runId: number, config: TrainingConfig, dataset: DatasetSnapshot, resume: boolean, name: string, init?: RunInit) =>
    ctx.jobs.start({
      kind: 'train',
      title: `${resume ? 'Resume' : 'Train'} ${name}`,
      params: { config, name, ...(resume ? { resumeRunId: runId } : {}) },
      canPause: true,
      run: async (job: JobContext<'train'>) => {
        const recorder = createRunRecorder(scope, ctx.bus, runId, job.progress);
        try {
          const result = await ctx.engine.request(
            'train',
            { runDir: runDir(scope, runId), activationCacheDir: scope.layout.activations, config, dataset, resume, ...(init ? { init } : {}) },
            // Settle only when the engine has stopped: the run's checkpoints are read right after.
            { signal: job.signal, pause: job.pause, onQueued: job.queued, onEvent: recorder.onEvent, waitForStop: true },
          );
          recorder.flush();
          finishRun(scope, runId, result);
          for (const evaluation of result.evaluations) recordEvaluation(scope, runId, evaluation);
          return getRun(scope, runId);
        } catch (error) {
          recorder.flush();
          const cancelled = job.signal.aborted || (error instanceof GraftError && error.code === 'cancelled');
          failRun(scope, runId, cancelled ? 'cancelled' : 'failed', cancelled ? 'Cancelled. Resume it to continue from its last checkpoint.' : (error as Error).message);
          throw error;
        } finally {
          changed(runId);
        }
      },
    });

  return {
    'training.check': () => checkDataset(project()),
    'training.lastConfig': () => {
      // A config saved by an older Graft that no longer parses is simply not offered.
      try {
        return trainingConfig(lastTrainingConfig(project()));
      } catch {
        return null;
      }
    },
    'training.augmentPreview': async (params) => {
      const scope = project();
      const images = params.imageIds.map((imageId) => ({ imageId, ...imageRef(scope, imageId) }));
      return ctx.engine.request('augmentPreview', { ...params, images });
    },
    'runs.predictions': (query) =>
      listPredictions(project(), query, (imageId) => ({
        thumbUrl: mediaUrl({ kind: 'thumb', imageId, size: 256 }, ctx.options.mode),
        originalUrl: mediaUrl({ kind: 'original', imageId }, ctx.options.mode),
      })),
    'runs.gradCam': async (params) => {
      const scope = project();
      const run = getRun(scope, params.runId);
      const image = runImages(scope, params.runId).find((i) => i.imageId === params.imageId) ?? imageRef(scope, params.imageId);
      return ctx.engine.request('gradCam', { runDir: run.dir, checkpoint: params.checkpoint, config: run.config, image, classIndex: params.classIndex });
    },
    'runs.export': (params) => {
      const scope = project();
      const job = exportJobFor(scope, params);
      const started = ctx.jobs.start({
        kind: 'export',
        title: `Export ${job.meta.runName} as ${params.format}`,
        params,
        run: async (j) =>
          withDownloadUrl(await ctx.engine.request('export', job, { signal: j.signal, onQueued: j.queued, onEvent: j.progress }), scope.layout.exports, ctx.options.mode),
      });
      return { jobId: started.id };
    },
    'training.start': ({ config, name }) => {
      const scope = project();
      const dataset = snapshotForTraining(scope);
      // Resolved before the run is recorded: a start point that cannot be used is refused with nothing left behind.
      const init = config.startFrom ? resolveStartFrom(scope, config.startFrom) : undefined;
      rememberTrainingConfig(scope, config);
      const { runId } = createRun(scope, config, dataset, name);
      changed(runId);
      const job = startTraining(scope, runId, config, dataset, false, getRun(scope, runId).name, init);
      return { jobId: job.id };
    },
    'training.resume': ({ runId }) => {
      const scope = project();
      const run = getRun(scope, runId);
      if (trainingJobOf(runId) || run.status === 'running') throw new GraftError('bad-request', `${run.name} is already training.`);
      if (!run.checkpoints.last) throw new GraftError('bad-request', `${run.name} has no checkpoint to resume from; start a new run instead.`);
      if (run.status === 'completed' || run.status === 'stopped-early') throw new GraftError('bad-request', `${run.name} has finished; start a new run to train more.`);
      const { config, classes } = runSetup(scope, runId);
      reopenRun(scope, runId);
      const job = startTraining(scope, runId, config, { classes, images: runImages(scope, runId) }, true, run.name);
      return { jobId: job.id };
    },
    'training.lrFind': ({ config, finder }) => {
      const scope = project();
      const dataset = snapshotForTraining(scope);
      const init = config.startFrom ? resolveStartFrom(scope, config.startFrom) : undefined;
      const job = ctx.jobs.start({
        kind: 'lr-find',
        title: `Find a learning rate for ${config.base.arch}`,
        params: { config, finder },
        canPause: true,
        run: (job) =>
          ctx.engine.request(
            'lrFind',
            { runDir: scope.layout.runs, activationCacheDir: scope.layout.activations, config, dataset, finder, ...(init ? { init } : {}) },
            { signal: job.signal, pause: job.pause, onQueued: job.queued, onEvent: job.progress },
          ),
      });
      return { jobId: job.id };
    },
    'runs.list': () => listRuns(project()),
    'runs.get': ({ runId }) => getRun(project(), runId),
    'runs.rename': ({ runId, name }) => {
      const summary = renameRun(project(), runId, name);
      changed(runId);
      return summary;
    },
    'runs.delete': ({ runId }) => {
      if (trainingJobOf(runId)) throw new GraftError('bad-request', 'This run is training. Cancel it first, then delete it.');
      deleteRun(project(), runId);
      changed(runId);
      return { deleted: true };
    },
    'runs.evaluate': (params) => {
      const scope = project();
      const run = getRun(scope, params.runId);
      if (!run.checkpoints[params.checkpoint]) throw new GraftError('bad-request', `${run.name} has no ${params.checkpoint} checkpoint.`);
      const images = runImages(scope, params.runId, params.split);
      if (images.length === 0) throw new GraftError('bad-request', `${run.name} has no ${params.split} images to evaluate on.`);
      const { config, classes } = runSetup(scope, params.runId);
      const job = ctx.jobs.start({
        kind: 'evaluate',
        title: `Evaluate ${run.name} on ${params.split}`,
        params,
        run: async (job) => {
          const evaluation = await ctx.engine.request(
            'evaluate',
            { runDir: run.dir, activationCacheDir: scope.layout.activations, config, classes, checkpoint: params.checkpoint, split: params.split, images },
            { signal: job.signal, onQueued: job.queued, onEvent: job.progress },
          );
          const summary = recordEvaluation(scope, params.runId, evaluation);
          changed(params.runId);
          return summary;
        },
      });
      return { jobId: job.id };
    },
  };
}
