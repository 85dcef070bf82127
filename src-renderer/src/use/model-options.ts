import type { ImportedModel, PredictModelInfo, PredictModelRef, SuggestionsRunParams } from '../../../src-main/api/types/predict';
import type { RunSummary } from '../../../src-main/api/types/runs';
import { defaultRunId, exportableRuns, runLabel } from '../export/export-text';

/**
 * A model the user can predict or suggest labels with: a run (its best or last checkpoint; left
 * out, the main side takes the best one, or the last when the run saved no best), or a model
 * imported into the project.
 */
export type ModelChoice = { kind: 'run'; runId: number; checkpoint?: 'best' | 'last' } | { kind: 'imported'; modelId: number };

/** One entry of a model picker. */
export interface ModelOption {
  /** Stable value for a `<select>`: `run:3`, `model:2`. */
  key: string;
  label: string;
  kind: ModelChoice['kind'];
  id: number;
  classes: readonly string[];
}

/** The models a picker offers: runs with a checkpoint that are not training (newest first), then imported models. */
export function modelOptions(runs: readonly RunSummary[], imported: readonly ImportedModel[]): ModelOption[] {
  const fromRuns = [...exportableRuns(runs)]
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id)
    .map((run): ModelOption => ({ key: `run:${run.id}`, label: runLabel(run), kind: 'run', id: run.id, classes: run.classes }));
  const fromFiles = imported.map((model): ModelOption => ({ key: `model:${model.id}`, label: `${model.name} (imported ${model.format})`, kind: 'imported', id: model.id, classes: model.classes }));
  return [...fromRuns, ...fromFiles];
}

/** The option a picker starts on: the newest finished run, else the first imported model, else nothing. */
export function defaultModelKey(runs: readonly RunSummary[], imported: readonly ImportedModel[]): string | null {
  const runId = defaultRunId(runs, null);
  if (runId !== null) return `run:${runId}`;
  return imported[0] ? `model:${imported[0].id}` : null;
}

/** The choice an option key stands for, with the checkpoint to use for a run. */
export function choiceOf(key: string, checkpoint?: 'best' | 'last'): ModelChoice | null {
  const match = /^(run|model):([1-9]\d*)$/.exec(key);
  if (!match) return null;
  const id = Number(match[2]);
  if (match[1] !== 'run') return { kind: 'imported', modelId: id };
  return checkpoint ? { kind: 'run', runId: id, checkpoint } : { kind: 'run', runId: id };
}

/** The `predict.files` model reference of a choice. */
export function modelRefOf(choice: ModelChoice): PredictModelRef {
  if (choice.kind === 'imported') return { modelId: choice.modelId };
  return choice.checkpoint ? { runId: choice.runId, checkpoint: choice.checkpoint } : { runId: choice.runId };
}

/** The `suggestions.run` parameters of a choice (null: the main side's default, the newest run's best checkpoint). */
export function suggestParamsOf(choice: ModelChoice | null, scope: 'unlabelled' | 'all'): SuggestionsRunParams {
  if (!choice) return { scope };
  if (choice.kind === 'imported') return { modelId: choice.modelId, scope };
  return choice.checkpoint ? { runId: choice.runId, checkpoint: choice.checkpoint, scope } : { runId: choice.runId, scope };
}

/**
 * How a finished prediction names its model: the run or imported model the user chose (a
 * checkpoint folder's own name, "best", says nothing by itself), else the model file's name.
 */
export function modelCaption(ref: PredictModelRef | null | undefined, model: PredictModelInfo, runs: readonly RunSummary[], imported: readonly ImportedModel[]): string {
  const fileName = model.file.split(/[\\/]/).pop() || model.file;
  if (ref && 'runId' in ref) {
    const name = runs.find((r) => r.id === ref.runId)?.name ?? `Run ${ref.runId}`;
    return model.format === 'checkpoint' ? `${name} · ${fileName} checkpoint` : `${name} · ${fileName}`;
  }
  if (ref && 'modelId' in ref) {
    const name = imported.find((m) => m.id === ref.modelId)?.name;
    if (name) return `${name} · imported ${model.format}`;
  }
  return `${fileName} (${model.format})`;
}
