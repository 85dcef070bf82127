import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PreprocessingSpec } from '../../api/types/export';
import type { PredictResult } from '../../api/types/predict';
import { createClass, deleteClass, renameClass } from '../library/classes';
import { listImages } from '../library/image-query';
import { assignLabel } from '../library/labels';
import { cleanUp, makeProject, makeTempDir, seedImageRows, type TempDir } from '../library/library-fixtures';
import type { Project } from '../project/project';
import { acceptSuggestions } from './accept-suggestions';
import { planSuggestions, suggestionInputs } from './suggest-plan';
import { listSuggestions, storeSuggestions } from './suggestion-store';
import { prediction, seedEvaluation, seedRun } from './test-support/suggestion-fixtures';

let tmp: TempDir;
let project: Project;
let ids: number[];
let cat: number;
let dog: number;
let runId: number;
const RUN_CLASSES = ['cat', 'dog'];

const UNIT_32: PreprocessingSpec = {
  width: 32,
  height: 32,
  resize: 'stretch',
  interpolation: 'bilinear',
  exifOrientation: true,
  alpha: 'drop',
  channelOrder: 'RGB',
  layout: 'NHWC',
  dtype: 'float32',
  mode: 'unit',
  scale: 1 / 255,
  offset: 0,
  mean: [0, 0, 0],
  std: [1, 1, 1],
};

/** The engine's answer for the planned images: each image's probabilities (cat, dog), in the run's class names. */
function engineResult(rows: [number, number[]][]): PredictResult {
  const paths = new Map(listImages(project, { limit: 100 }).items.map((i) => [i.id, i.path]));
  return {
    model: { format: 'checkpoint', file: '/run/checkpoints/best', files: [], classes: RUN_CLASSES, preprocessing: UNIT_32, assumptions: [] },
    results: rows.map(([imageId, probs]) => prediction(paths.get(imageId)!, RUN_CLASSES, probs, Math.abs(probs[0]! - probs[1]!), 0.5)),
    unreadable: [],
    seconds: 1,
    imagesPerSecond: 1,
    runtime: 'tfjs',
    runtimeDetails: 'test',
    fallbackReason: null,
  };
}

/** Suggests with the run over every image (as `suggestions.run` with scope "all" does) and stores them. */
async function suggest(rows: [number, number[]][]): Promise<Record<string, number>> {
  const plan = planSuggestions(project, { runId, scope: 'all' });
  const { inputs, perClass } = suggestionInputs(plan, engineResult(rows));
  await storeSuggestions(project, plan.stored, inputs);
  return perClass;
}

const likelyErrors = () => listImages(project, { likelyErrors: true, limit: 100 }).items.map((i) => [i.id, i.model?.className]);

beforeEach(() => {
  tmp = makeTempDir();
  project = makeProject(tmp);
  ids = seedImageRows(project, 6, 'photo');
  cat = createClass(project, 'cat').classId;
  dog = createClass(project, 'dog').classId;
  assignLabel(project, [ids[0]!, ids[1]!], cat);
  assignLabel(project, [ids[2]!], dog);
  runId = seedRun(project, RUN_CLASSES, [
    { imageId: ids[0]!, label: 0 },
    { imageId: ids[1]!, label: 0 },
    { imageId: ids[2]!, label: 1 },
  ]);
  // Image 1 (a cat) the run is sure is a dog: a likely label error.
  seedEvaluation(project, runId, [
    { imageId: ids[0]!, label: 0, probabilities: [0.9, 0.1] },
    { imageId: ids[1]!, label: 0, probabilities: [0.05, 0.95] },
    { imageId: ids[2]!, label: 1, probabilities: [0.2, 0.8] },
  ]);
});

afterEach(() => cleanUp(tmp, project));

describe('a run whose class was renamed since it trained', () => {
  it('suggests the renamed class, and its suggestions are accepted as labels of it', async () => {
    renameClass(project, cat, 'kitten');
    const perClass = await suggest([
      [ids[3]!, [0.9, 0.1]],
      [ids[4]!, [0.3, 0.7]],
      [ids[0]!, [0.02, 0.98]],
    ]);
    expect(perClass).toEqual({ kitten: 1, dog: 2 });
    const byImage = new Map(listSuggestions(project, ids).map((s) => [s.imageId, s]));
    expect([byImage.get(ids[3]!)?.className, byImage.get(ids[3]!)?.classId]).toEqual(['kitten', cat]);
    expect(byImage.get(ids[4]!)?.classId).toBe(dog);

    expect(acceptSuggestions(project, [ids[3]!])).toMatchObject({ accepted: 1, skipped: 0 });
    const labels = new Map(listImages(project, { limit: 100 }).items.map((i) => [i.id, i.classId]));
    expect(labels.get(ids[3]!)).toBe(cat);
    // Likely errors, highest loss first: the labelled kitten scored against its label now
    // (−ln 0.02, from the suggestion) and the one the evaluation doubted (−ln 0.05).
    expect(likelyErrors()).toEqual([
      [ids[0]!, 'dog'],
      [ids[1]!, 'dog'],
    ]);
  });

  it('keeps its evaluation’s likely errors, the predicted class named as the project names it now', () => {
    expect(likelyErrors()).toEqual([[ids[1]!, 'dog']]);
    renameClass(project, cat, 'kitten');
    expect(likelyErrors()).toEqual([[ids[1]!, 'dog']]);
    renameClass(project, dog, 'puppy');
    expect(likelyErrors()).toEqual([[ids[1]!, 'puppy']]);
    // Relabelled since: the run's opinion was about another label and no longer counts.
    assignLabel(project, [ids[1]!], dog);
    expect(likelyErrors()).toEqual([]);
  });

  it('works by name for a run recorded without class ids, as before', async () => {
    project.db.prepare('UPDATE training_runs SET class_ids = NULL WHERE id = ?').run(runId);
    expect(likelyErrors()).toEqual([[ids[1]!, 'dog']]);
    expect(await suggest([[ids[3]!, [0.9, 0.1]]])).toEqual({ cat: 1 });
    expect(listSuggestions(project, [ids[3]!])[0]).toMatchObject({ className: 'cat', classId: cat });
    // Renamed, its name no longer finds it: the run's opinions of that class go (as they did before ids).
    renameClass(project, cat, 'kitten');
    expect(likelyErrors()).toEqual([]);
    expect(await suggest([[ids[4]!, [0.9, 0.1]]])).toEqual({ cat: 1 });
    expect(listSuggestions(project, [ids[4]!])[0]).toMatchObject({ className: 'cat', classId: null });
  });

  it('finds a class deleted and made again under its name; a class whose name another took suggests nothing', async () => {
    deleteClass(project, cat);
    const again = createClass(project, 'cat').classId;
    await suggest([[ids[3]!, [0.9, 0.1]]]);
    expect(listSuggestions(project, [ids[3]!])[0]).toMatchObject({ className: 'cat', classId: again });

    deleteClass(project, again);
    renameClass(project, dog, 'cat');
    // The run's "dog" is the class now called "cat"; its "cat" is gone, and the other "cat" is not it.
    expect(await suggest([
      [ids[4]!, [0.9, 0.1]],
      [ids[5]!, [0.1, 0.9]],
    ])).toEqual({ cat: 1 });
    const byImage = new Map(listSuggestions(project, ids).map((s) => [s.imageId, s]));
    expect(byImage.get(ids[5]!)).toMatchObject({ className: 'cat', classId: dog });
    expect(byImage.has(ids[4]!)).toBe(false);
  });
});
