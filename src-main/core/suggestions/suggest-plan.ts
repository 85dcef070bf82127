import type { EngineModelSource, PredictResult, SuggestionSource, SuggestionsRunParams } from '../../api/types/predict';
import { importedModelSource, latestRunWithCheckpoint, runModel } from '../predict/model-ref';
import type { Project } from '../project/project';
import { runClasses } from '../runs/run-classes';
import { getImportedModel } from './imported-models';
import type { StoredSource, SuggestionInput } from './suggestion-store';

/** Keras's clip of a probability before its log, so a certain "no" has a finite loss. */
const EPSILON = 1e-7;

/** An image to suggest a label for, with its label now (null: unlabelled). */
interface PlannedImage {
  imageId: number;
  path: string;
  labelClassId: number | null;
  labelName: string | null;
}

/** What a pre-label job runs: which model, how its classes map to the project's, on which images. */
export interface SuggestPlan {
  stored: StoredSource;
  source: SuggestionSource;
  model: EngineModelSource;
  /** Model class → project class name; null: a run's class no project class is now (its suggestions are not stored). */
  classMap: Record<string, string | null>;
  images: PlannedImage[];
}

/** The images to score: present, unlabelled ones (or every present one for `all`), in id order. */
function plannedImages(project: Project, scope: 'unlabelled' | 'all'): PlannedImage[] {
  return project.db
    .prepare(
      `SELECT i.id AS imageId, i.path, l.class_id AS labelClassId, c.name AS labelName FROM images i
       LEFT JOIN labels l ON l.image_id = i.id LEFT JOIN classes c ON c.id = l.class_id
       WHERE i.missing = 0 ${scope === 'unlabelled' ? 'AND l.image_id IS NULL' : ''} ORDER BY i.id`,
    )
    .all() as PlannedImage[];
}

/**
 * Plans a pre-label run: an imported model (its class map), or a run's checkpoint — the one
 * named, else the latest run with a checkpoint, its best one — whose classes are the project
 * classes the run recorded (followed through renames), else those of the same name.
 */
export function planSuggestions(project: Project, params: SuggestionsRunParams): SuggestPlan {
  const images = plannedImages(project, params.scope ?? 'unlabelled');
  if (params.modelId !== undefined) {
    const model = getImportedModel(project, params.modelId);
    return { stored: { modelId: model.id }, source: { kind: 'model', modelId: model.id, name: model.name }, model: importedModelSource(model), classMap: model.classMap, images };
  }
  const run = runModel(project, params.runId ?? latestRunWithCheckpoint(project), params.checkpoint);
  return {
    stored: { runId: run.runId, checkpoint: run.checkpoint },
    source: { kind: 'run', runId: run.runId, runName: run.runName, checkpoint: run.checkpoint },
    model: run.source,
    classMap: Object.fromEntries(runClasses(project, run.runId).map((c) => [c.runName, c.name])),
    images,
  };
}

/** The project class a model class stands for: through the class map, else by its own name; null when none may. */
function projectClassOf(classMap: SuggestPlan['classMap'], modelClass: string): string | null {
  return Object.hasOwn(classMap, modelClass) ? classMap[modelClass]! : modelClass;
}

/**
 * The engine's predictions as suggestions: the top class through the class map (none when it
 * maps to no project class), and for a labelled image the loss of its label when the model
 * knows that class (several model classes mapped to one project class add up).
 */
export function suggestionInputs(plan: SuggestPlan, result: PredictResult): { inputs: SuggestionInput[]; perClass: Record<string, number> } {
  const byPath = new Map(plan.images.map((image) => [image.path, image]));
  const classes = result.model.classes;
  const inputs: SuggestionInput[] = [];
  const perClass: Record<string, number> = {};
  for (const prediction of result.results) {
    const image = byPath.get(prediction.path);
    const top = prediction.top[0];
    if (!image || !top) continue;
    const className = projectClassOf(plan.classMap, top.label);
    if (className === null) continue;
    perClass[className] = (perClass[className] ?? 0) + 1;
    let label: SuggestionInput['label'] = null;
    if (image.labelClassId !== null && image.labelName !== null) {
      const indices = classes.flatMap((c, i) => (projectClassOf(plan.classMap, c) === image.labelName ? [i] : []));
      if (indices.length > 0) {
        const p = indices.reduce((sum, i) => sum + (prediction.probabilities[i] ?? 0), 0);
        label = { classId: image.labelClassId, loss: -Math.log(Math.min(Math.max(p, EPSILON), 1 - EPSILON)) };
      }
    }
    inputs.push({ imageId: image.imageId, className, prediction, label });
  }
  return { inputs, perClass };
}
