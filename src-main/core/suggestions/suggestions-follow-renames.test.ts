import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClass, deleteClass, renameClass } from '../library/classes';
import { listImages } from '../library/image-query';
import { redo, undo } from '../library/label-journal';
import { cleanUp, makeProject, makeTempDir, seedImageRows, type TempDir } from '../library/library-fixtures';
import type { Project } from '../project/project';
import { acceptSuggestions, acceptSuggestionsAbove } from './accept-suggestions';
import { listImportedModels } from './imported-models';
import { listSuggestions, storeSuggestions, suggestionsSummary } from './suggestion-store';
import { prediction, seedRun } from './test-support/suggestion-fixtures';

let tmp: TempDir;
let project: Project;
let ids: number[];
let cat: number;
let dog: number;
const CLASSES = ['cat', 'dog'];

/** An imported model row as an import leaves it: model classes "Cat" and "Dog" mapped onto the project's. */
function seedImportedModel(): number {
  return Number(
    project.db
      .prepare(
        `INSERT INTO imported_models (name, format, path, copied, classes, class_map, preprocessing, assumptions, source_path, created_at)
         VALUES ('pets', 'tfjs', '/m/model.json', 0, '["Cat","Dog"]', '{"Cat":"cat","Dog":"dog"}', '{}', '[]', '/m/model.json', 'then')`,
      )
      .run().lastInsertRowid,
  );
}

beforeEach(async () => {
  tmp = makeTempDir();
  project = makeProject(tmp);
  ids = seedImageRows(project, 4, 'photo');
  cat = createClass(project, 'cat').classId;
  dog = createClass(project, 'dog').classId;
  const runId = seedRun(project, CLASSES, []);
  await storeSuggestions(
    project,
    { runId, checkpoint: 'best' },
    [
      [ids[0]!, 'cat', [0.9, 0.1]],
      [ids[1]!, 'cat', [0.8, 0.2]],
      [ids[2]!, 'dog', [0.3, 0.7]],
    ].map(([imageId, className, probs]) => ({
      imageId: imageId as number,
      className: className as string,
      prediction: prediction('/x', CLASSES, probs as number[], Math.abs((probs as number[])[0]! - (probs as number[])[1]!), 0.4),
      label: null,
    })),
  );
});

afterEach(() => cleanUp(tmp, project));

const classNames = () => listSuggestions(project, ids).map((s) => [s.className, s.classId]);

describe('suggestions when a class is renamed', () => {
  it('follow the class: listed, counted and accepted under its new name, and back again on undo, forward on redo', () => {
    renameClass(project, cat, 'kitten');
    expect(classNames()).toEqual([
      ['kitten', cat],
      ['kitten', cat],
      ['dog', dog],
    ]);
    expect(suggestionsSummary(project).perClass).toEqual({ kitten: 2, dog: 1 });

    undo(project);
    expect(classNames()).toEqual([
      ['cat', cat],
      ['cat', cat],
      ['dog', dog],
    ]);
    redo(project);
    expect(classNames()[0]).toEqual(['kitten', cat]);

    expect(acceptSuggestions(project, [ids[0]!])).toMatchObject({ accepted: 1, skipped: 0 });
    expect(acceptSuggestionsAbove(project, 0.75, false)).toMatchObject({ total: 1, perClass: [{ className: 'kitten', classId: cat, count: 1 }] });
    const labels = new Map(listImages(project, { limit: 10 }).items.map((i) => [i.id, i.classId]));
    expect([labels.get(ids[0]!), labels.get(ids[1]!), labels.get(ids[2]!)]).toEqual([cat, cat, null]);
  });

  it('leave other classes alone, and a class deleted then made again under the same name finds its suggestions', () => {
    renameClass(project, dog, 'puppy');
    expect(classNames()).toEqual([
      ['cat', cat],
      ['cat', cat],
      ['puppy', dog],
    ]);
    deleteClass(project, cat);
    expect(classNames()[0]).toEqual(['cat', null]);
    const again = createClass(project, 'cat').classId;
    expect(classNames()[0]).toEqual(['cat', again]);
  });

  it('carry an imported model’s class map along', () => {
    const modelId = seedImportedModel();
    renameClass(project, dog, 'puppy');
    expect(listImportedModels(project).find((m) => m.id === modelId)!.classMap).toEqual({ Cat: 'cat', Dog: 'puppy' });
    undo(project);
    expect(listImportedModels(project).find((m) => m.id === modelId)!.classMap).toEqual({ Cat: 'cat', Dog: 'dog' });
  });
});
