import type { LibraryChanged } from '../../api/contract';
import type { HandlerSlice } from '../../api/dispatcher';
import { GraftError } from '../../api/errors';
import { FINAL_JOB_STATUSES } from '../../api/types/jobs';
import type { AppContext } from '../app-context';
import { resolveModelRef } from '../predict/model-ref';
import { checkPredictionsCsvTarget, collectImagePaths, writePredictionsCsv } from '../predict/predict-inputs';
import { saveUpload } from '../predict/uploads';
import { acceptSuggestions, acceptSuggestionsAbove } from '../suggestions/accept-suggestions';
import { classMapFor, listImportedModels, registerImportedModel, removeImportedModel } from '../suggestions/imported-models';
import { planSuggestions, suggestionInputs } from '../suggestions/suggest-plan';
import { listSuggestions, rejectSuggestions, storeSuggestions, suggestionsSummary } from '../suggestions/suggestion-store';
import { listClasses } from '../library';

type UseRequests =
  | 'predict.files'
  | 'predict.upload'
  | 'suggestions.run'
  | 'suggestions.list'
  | 'suggestions.summary'
  | 'suggestions.accept'
  | 'suggestions.reject'
  | 'suggestions.acceptAbove'
  | 'models.import'
  | 'models.imported'
  | 'models.removeImported';

/**
 * Handlers for using trained models: batch prediction of files and folders, pre-labelling
 * suggestions (run, list, accept with undo, reject, accept above a confidence), and models
 * imported into the project.
 */
export function useApi(ctx: AppContext, changed: (reason: LibraryChanged['reason']) => void): HandlerSlice<UseRequests> {
  const project = () => ctx.session.require();
  const suggestJobRunning = () => ctx.jobs.list().some((job) => job.kind === 'suggest' && !FINAL_JOB_STATUSES.includes(job.status));

  return {
    'predict.files': async (params) => {
      // Checked before the job starts, so a bad target or model reference fails the request itself.
      const csvPath = params.csvPath ? await checkPredictionsCsvTarget(params.csvPath) : null;
      const model = resolveModelRef(params.model, project);
      const job = ctx.jobs.start({
        kind: 'predict',
        title: `Predict ${params.paths.length === 1 ? params.paths[0] : `${params.paths.length} paths`}`,
        params,
        run: async (job) => {
          job.progress({ phase: 'loading', done: 0, total: 0, perSecond: null, message: 'Finding the images…' });
          const images = await collectImagePaths(params.paths, job.signal);
          if (images.length === 0) throw new GraftError('bad-request', 'There are no images in what was given (folders are searched for JPEG, PNG, WebP, GIF, TIFF and AVIF files).');
          const result = await ctx.engine.request(
            'predict',
            { model, images, top: params.top ?? 5, runtime: params.runtime },
            { signal: job.signal, onQueued: job.queued, onEvent: job.progress },
          );
          if (csvPath) await writePredictionsCsv(csvPath, result.model.classes, result.results);
          return { ...result, csvPath, images: images.length };
        },
      });
      return { jobId: job.id };
    },

    'predict.upload': async ({ fileName, data }) => ({ path: await saveUpload(fileName, data) }),

    'suggestions.run': (params) => {
      const scope = project();
      if (suggestJobRunning()) throw new GraftError('bad-request', 'Labels are already being suggested; wait for that job or cancel it.');
      const plan = planSuggestions(scope, params);
      if (plan.images.length === 0) throw new GraftError('bad-request', params.scope === 'all' ? 'The project has no images to score.' : 'Every image is labelled: there is nothing to suggest labels for.');
      const job = ctx.jobs.start({
        kind: 'suggest',
        title: `Suggest labels with ${plan.source.kind === 'run' ? plan.source.runName : plan.source.name}`,
        params,
        run: async (job) => {
          const result = await ctx.engine.request(
            'predict',
            { model: plan.model, images: plan.images.map((i) => i.path), top: 1, runtime: params.runtime },
            { signal: job.signal, onQueued: job.queued, onEvent: job.progress },
          );
          const { inputs, perClass } = suggestionInputs(plan, result);
          await storeSuggestions(scope, plan.stored, inputs);
          changed('suggestions');
          return { source: plan.source, images: plan.images.length, suggested: inputs.length, perClass, unreadable: result.unreadable, seconds: result.seconds, runtime: result.runtime };
        },
      });
      return { jobId: job.id };
    },

    'suggestions.list': ({ imageIds }) => listSuggestions(project(), imageIds),
    'suggestions.summary': () => suggestionsSummary(project()),
    'suggestions.accept': ({ imageIds }) => {
      const result = acceptSuggestions(project(), imageIds);
      if (result.accepted > 0) changed('labels');
      return result;
    },
    'suggestions.reject': ({ imageIds }) => {
      const rejected = rejectSuggestions(project(), imageIds);
      if (rejected > 0) changed('suggestions');
      return { rejected };
    },
    'suggestions.acceptAbove': ({ threshold, dryRun }) => {
      const result = acceptSuggestionsAbove(project(), threshold, dryRun ?? false);
      if (result.accepted && result.accepted.accepted > 0) changed('labels');
      return result;
    },

    'models.import': async (params) => {
      const scope = project();
      const info = await ctx.engine.request('inspectModel', { path: params.path, classes: params.classes, preprocessing: params.preprocessing, preprocessMode: params.preprocessMode });
      const classMap = classMapFor(info.classes, listClasses(scope).map((c) => c.name), params.mapClasses);
      return registerImportedModel(scope, info, params, classMap);
    },
    'models.imported': () => listImportedModels(project()),
    'models.removeImported': async ({ modelId }) => {
      const removed = await removeImportedModel(project(), modelId);
      changed('suggestions');
      return { removed };
    },
  };
}
