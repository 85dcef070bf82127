import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClass } from '../library/classes';
import { listImages } from '../library/image-query';
import { assignLabel } from '../library/labels';
import { redo, undo, undoState } from '../library/label-journal';
import { cleanUp, makeProject, makeTempDir, seedImageRows, type TempDir } from '../library/library-fixtures';
import type { Project } from '../project/project';
import { acceptSuggestions, acceptSuggestionsAbove } from './accept-suggestions';
import { listSuggestions, rejectSuggestions, storeSuggestions, suggestionsSummary, type SuggestionInput } from './suggestion-store';
import { prediction, seedRun } from './test-support/suggestion-fixtures';

let tmp: TempDir;
let project: Project;
let ids: number[];
let cat: number;
let dog: number;
let runId: number;
const CLASSES = ['cat', 'dog', 'horse'];

function suggestion(imageId: number, className: string, probability: number): SuggestionInput {
  const rest = (1 - probability) / 2;
  const probs = CLASSES.map((c) => (c === className ? probability : rest));
  return { imageId, className, prediction: prediction(`/x/${imageId}`, CLASSES, probs, probability - rest, 0.5), label: null };
}

const labelOf = (imageId: number) => listImages(project, { limit: 100 }).items.find((i) => i.id === imageId)?.classId ?? null;

beforeEach(async () => {
  tmp = makeTempDir();
  project = makeProject(tmp);
  ids = seedImageRows(project, 8, 'photo');
  cat = createClass(project, 'cat').classId;
  dog = createClass(project, 'dog').classId;
  assignLabel(project, [ids[5]!], dog);
  runId = seedRun(project, CLASSES, []);
  await storeSuggestions(project, { runId, checkpoint: 'best' }, [
    suggestion(ids[0]!, 'cat', 0.95),
    suggestion(ids[1]!, 'dog', 0.9),
    suggestion(ids[2]!, 'cat', 0.6),
    suggestion(ids[3]!, 'dog', 0.55),
    suggestion(ids[4]!, 'horse', 0.99), // no such class in the project
    suggestion(ids[5]!, 'cat', 0.97), // already labelled dog
    suggestion(999, 'cat', 0.99), // not an image of the project: not stored
  ]);
});

afterEach(() => cleanUp(tmp, project));

describe('suggestions', () => {
  it('are listed per image id in the order asked, with their class id, source and whether the image is labelled', () => {
    const listed = listSuggestions(project, [ids[5]!, ids[6]!, ids[0]!, ids[4]!]);
    expect(listed.map((s) => s.imageId)).toEqual([ids[5], ids[0], ids[4]]);
    expect(listed[0]).toMatchObject({ className: 'cat', classId: cat, probability: 0.97, status: 'pending', labelled: true, source: { kind: 'run', runId, runName: 'Seeded run', checkpoint: 'best' } });
    expect(listed[2]).toMatchObject({ className: 'horse', classId: null, labelled: false });
    expect(suggestionsSummary(project)).toMatchObject({ pending: 5, rejected: 0, perClass: { cat: 2, dog: 2, horse: 1 }, source: { kind: 'run', runId } });
  });

  it('accepted, become ordinary labels in one undoable step; those without a class are skipped', () => {
    const result = acceptSuggestions(project, [ids[0]!, ids[1]!, ids[4]!, ids[7]!, ids[5]!]);
    expect(result).toMatchObject({ accepted: 3, skipped: 2, undo: { canUndo: true, undoSummary: 'accept 3 suggestions' } });
    expect([ids[0], ids[1], ids[5]].map((id) => labelOf(id!))).toEqual([cat, dog, cat]);
    expect(labelOf(ids[4]!)).toBeNull();
    expect(undo(project)).toMatchObject({ imagesChanged: 3, summary: 'accept 3 suggestions' });
    expect([ids[0], ids[1], ids[5]].map((id) => labelOf(id!))).toEqual([null, null, dog]);
    // The suggestions are still there to accept again.
    expect(suggestionsSummary(project).pending).toBe(5);
    redo(project);
    expect(labelOf(ids[1]!)).toBe(dog);
  });

  it('rejected, stay out of accepting; a new model suggesting the same class keeps the rejection, another class starts over', async () => {
    expect(rejectSuggestions(project, [ids[2]!, ids[7]!])).toBe(1);
    expect(listSuggestions(project, [ids[2]!])[0]!.status).toBe('rejected');
    expect(acceptSuggestions(project, [ids[2]!])).toMatchObject({ accepted: 0, skipped: 1 });
    expect(undoState(project).undoSummary).not.toMatch(/suggestion/);
    await storeSuggestions(project, { runId, checkpoint: 'last' }, [suggestion(ids[2]!, 'cat', 0.7)]);
    expect(listSuggestions(project, [ids[2]!])[0]).toMatchObject({ status: 'rejected', probability: 0.7, source: { checkpoint: 'last' } });
    await storeSuggestions(project, { runId, checkpoint: 'last' }, [suggestion(ids[2]!, 'dog', 0.8)]);
    expect(listSuggestions(project, [ids[2]!])[0]).toMatchObject({ status: 'pending', className: 'dog' });
  });

  it('above a confidence: a dry run counts per class, the real one accepts exactly that on unlabelled images in one undoable step', () => {
    rejectSuggestions(project, [ids[1]!]);
    const preview = acceptSuggestionsAbove(project, 0.55, true);
    expect(preview).toEqual({
      dryRun: true,
      threshold: 0.55,
      perClass: [
        { className: 'cat', classId: cat, count: 2 },
        { className: 'dog', classId: dog, count: 1 },
        { className: 'horse', classId: null, count: 1 },
      ],
      total: 4,
      accepted: null,
    });
    expect(labelOf(ids[0]!)).toBeNull();
    const done = acceptSuggestionsAbove(project, 0.55, false);
    expect(done.accepted).toMatchObject({ accepted: 3, skipped: 1, undo: { undoSummary: 'accept 3 suggestions' } });
    expect([ids[0], ids[2], ids[3], ids[5]].map((id) => labelOf(id!))).toEqual([cat, cat, dog, dog]);
    expect(acceptSuggestionsAbove(project, 0.55, true).total).toBe(1); // only the horse is left
    undo(project);
    expect([ids[0], ids[2], ids[3]].map((id) => labelOf(id!))).toEqual([null, null, null]);
    expect(acceptSuggestionsAbove(project, 0.9, true).perClass).toEqual([
      { className: 'cat', classId: cat, count: 1 },
      { className: 'horse', classId: null, count: 1 },
    ]);
  });

  it('go with their images and their run', () => {
    project.db.prepare('DELETE FROM images WHERE id = ?').run(ids[0]);
    expect(listSuggestions(project, ids)).toHaveLength(5);
    project.db.prepare('DELETE FROM training_runs WHERE id = ?').run(runId);
    expect(listSuggestions(project, ids)).toEqual([]);
  });
});
