import { GraftError } from '../../api/errors';
import type { RunInit } from '../../api/types/predict';
import type { StartFrom } from '../../api/types/runs';
import { importedModelSource, runModel } from '../predict/model-ref';
import type { Project } from '../project/project';
import { getImportedModel } from '../suggestions/imported-models';
import { runClasses } from './run-classes';

/**
 * What the engine starts a run from, for a config's `startFrom`: a run's checkpoint or an
 * imported model, its classes named as the project names them now (a run's through the class
 * ids it recorded, so a class renamed since keeps its classifier column; a class gone whose name
 * another class took matches none). Refuses what cannot be trained further before any work starts.
 */
export function resolveStartFrom(project: Project, startFrom: StartFrom): RunInit {
  if (startFrom.kind === 'run') {
    const model = runModel(project, startFrom.runId, startFrom.checkpoint);
    return { source: model.source, classes: runClasses(project, startFrom.runId).map((c) => c.name), label: `${model.runName}'s ${model.checkpoint} checkpoint` };
  }
  const model = getImportedModel(project, startFrom.modelId);
  if (model.format === 'onnx') {
    throw new GraftError('bad-request', `${model.name} is an ONNX model: Graft can predict with it but not train it further. Import its TensorFlow.js or Keras export to continue training.`);
  }
  return { source: importedModelSource(model), classes: model.classes.map((c) => model.classMap[c] ?? c), label: `the imported model ${model.name}` };
}
