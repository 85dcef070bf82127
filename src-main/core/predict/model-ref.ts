import path from 'node:path';
import { GraftError } from '../../api/errors';
import type { EngineModelSource, ImportedModel, PredictModelRef } from '../../api/types/predict';
import type { Project } from '../project/project';
import { runClassLabels } from '../runs/run-classes';
import { getRun, listRuns, runSetup } from '../runs/run-store';
import { getImportedModel } from '../suggestions/imported-models';

/** A run's checkpoint as the engine's predict takes it, and which checkpoint that is. */
export interface RunModel {
  source: Extract<EngineModelSource, { kind: 'checkpoint' }>;
  runId: number;
  runName: string;
  checkpoint: 'best' | 'last';
}

/** A run's checkpoint to predict with: the one asked for, else its best (its last when it saved no best). */
export function runModel(project: Project, runId: number, checkpoint?: 'best' | 'last'): RunModel {
  const run = getRun(project, runId);
  const which = checkpoint ?? (run.checkpoints.best ? 'best' : 'last');
  if (!run.checkpoints[which]) {
    throw new GraftError('bad-request', `${run.name} has no ${which} checkpoint${run.status === 'running' ? ' yet' : ''}; ${run.checkpoints.last ? 'use its last one' : 'train it first'}.`);
  }
  const { config, classes } = runSetup(project, runId);
  return { source: { kind: 'checkpoint', runDir: run.dir, checkpoint: which, config, classes }, runId, runName: run.name, checkpoint: which };
}

/** The newest run that finished (or stopped) with a checkpoint: what pre-labelling uses by default. */
export function latestRunWithCheckpoint(project: Project): number {
  const run = listRuns(project).find((r) => r.hasCheckpoint && r.status !== 'running');
  if (!run) throw new GraftError('bad-request', 'No run has a checkpoint to suggest labels with yet. Train a model first (or import one and name it).');
  return run.id;
}

/** An imported model as the engine's predict takes it: the project's record of its classes and preprocessing wins over the files. */
export function importedModelSource(model: ImportedModel): Extract<EngineModelSource, { kind: 'file' }> {
  return { kind: 'file', path: model.path, classes: model.classes, preprocessing: model.preprocessing };
}

/**
 * The model `predict.files` names; runs and imported models need the open project, a model path
 * does not. A run's predictions are labelled with the project's classes as they are named now
 * (a class renamed since the run trained shows its new name).
 */
export function resolveModelRef(ref: PredictModelRef, project: () => Project): EngineModelSource {
  if ('runId' in ref) {
    const scope = project();
    const { source } = runModel(scope, ref.runId, ref.checkpoint);
    return { ...source, classes: runClassLabels(scope, ref.runId) };
  }
  if ('modelId' in ref) return importedModelSource(getImportedModel(project(), ref.modelId));
  return { kind: 'file', path: path.resolve(ref.modelPath), classes: ref.classes, preprocessing: ref.preprocessing, preprocessMode: ref.preprocessMode };
}
