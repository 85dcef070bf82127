import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Project } from '../project/project';
import { storeSuggestions, type SuggestionInput } from '../suggestions/suggestion-store';
import { prediction, seedEvaluation, seedRun } from '../suggestions/test-support/suggestion-fixtures';
import { createClass } from './classes';
import { listImageIds, listImages } from './image-query';
import { assignLabel } from './labels';
import { cleanUp, makeProject, makeTempDir, seedImageRows, type TempDir } from './library-fixtures';
import { LIKELY_ERROR_MIN_LOSS } from './model-opinions';

let tmp: TempDir;
let project: Project;
let ids: number[];
let cat: number;
let dog: number;
const CLASSES = ['cat', 'dog', 'bird'];

beforeEach(() => {
  tmp = makeTempDir();
  project = makeProject(tmp);
  ids = seedImageRows(project, 12, 'photo');
  cat = createClass(project, 'cat').classId;
  dog = createClass(project, 'dog').classId;
  createClass(project, 'bird');
  assignLabel(project, ids.slice(0, 3), cat);
  assignLabel(project, ids.slice(3, 6), dog);
});

afterEach(() => cleanUp(tmp, project));

describe('the uncertainty order ("most useful to label next")', () => {
  // Margins and entropies (nats) worked out by hand:
  //   A [0.50, 0.30, 0.20]  margin 0.20  H = 0.3466 + 0.3612 + 0.3219 = 1.0297
  //   C [0.90, 0.05, 0.05]  margin 0.85  H = 0.0948 + 2 × 0.1498      = 0.3944
  //   F [0.45, 0.45, 0.10]  margin 0.00  H = 2 × 0.3593 + 0.2303      = 0.9489
  //   B [0.40, 0.35, 0.25]  margin 0.05  H = 0.3665 + 0.3674 + 0.3466 = 1.0805
  //   D [0.34, 0.33, 0.33]  margin 0.01  H = 0.3668 + 2 × 0.3659      = 1.0985
  const rows: [string, number[], number, number][] = [
    ['A', [0.5, 0.3, 0.2], 0.2, 1.0297],
    ['C', [0.9, 0.05, 0.05], 0.85, 0.3944],
    ['F', [0.45, 0.45, 0.1], 0.0, 0.9489],
    ['B', [0.4, 0.35, 0.25], 0.05, 1.0805],
    ['D', [0.34, 0.33, 0.33], 0.01, 1.0985],
  ];

  beforeEach(async () => {
    const runId = seedRun(project, CLASSES, []);
    // Images 6…10 get A, C, F, B, D; image 11 has no suggestion; labelled image 0 was scored too.
    const inputs: SuggestionInput[] = rows.map(([, probs, m, h], i) => ({ imageId: ids[6 + i]!, className: 'cat', prediction: prediction(`/x/${i}`, CLASSES, probs, m, h), label: null }));
    inputs.push({ imageId: ids[0]!, className: 'cat', prediction: prediction('/x/0', CLASSES, [0.34, 0.33, 0.33], 0.01, 1.0985), label: { classId: cat, loss: 1.08 } });
    await storeSuggestions(project, { runId, checkpoint: 'best' }, inputs);
  });

  const at = (letters: string) => [...letters].map((l) => ids[6 + rows.findIndex(([name]) => name === l)]);

  it('lists the unlabelled images with a suggestion, smallest margin first, with the margin on each row', () => {
    const page = listImages(project, { orderBy: 'uncertainty' });
    expect(page.total).toBe(5);
    expect(page.items.map((i) => i.id)).toEqual(at('FDBAC'));
    expect(page.items.map((i) => i.model)).toEqual([0, 0.01, 0.05, 0.2, 0.85].map((score) => ({ className: 'cat', score: expect.closeTo(score, 6) })));
    expect(listImageIds(project, { orderBy: 'uncertainty' })).toEqual(at('FDBAC'));
    expect(listImages(project, { orderBy: 'uncertainty', offset: 2, limit: 2 }).items.map((i) => i.id)).toEqual(at('BA'));
    expect(listImageIds(project, { orderBy: 'uncertainty', offset: 1, limit: 3 })).toEqual(at('DBA'));
  });

  it('orders by entropy, highest first, when asked', () => {
    expect(listImages(project, { orderBy: 'uncertainty', uncertainty: 'entropy' }).items.map((i) => i.id)).toEqual(at('DBAFC'));
  });

  it('drops an image once it is labelled, and combines with the other filters', () => {
    assignLabel(project, at('F') as number[], dog);
    expect(listImageIds(project, { orderBy: 'uncertainty' })).toEqual(at('DBAC'));
    expect(listImages(project, { orderBy: 'uncertainty', nameContains: 'photo-000010' }).items.map((i) => i.id)).toEqual(at('D'));
    expect(() => listImages(project, { orderBy: 'uncertainty', classId: cat })).toThrow(/leave the class filter out/);
    // The plain orders carry no model score.
    expect(listImages(project, { limit: 1 }).items[0]).not.toHaveProperty('model');
  });
});

describe('the likely-errors filter', () => {
  let runId: number;

  beforeEach(async () => {
    runId = seedRun(project, CLASSES, ids.slice(0, 6).map((imageId, i) => ({ imageId, label: i < 3 ? 0 : 1 })));
    seedEvaluation(
      project,
      runId,
      [
        { imageId: ids[0]!, label: 0, probabilities: [0.1, 0.85, 0.05] }, // cat, the model says dog: loss 2.303
        { imageId: ids[1]!, label: 0, probabilities: [0.7, 0.2, 0.1] }, // agrees
        { imageId: ids[2]!, label: 0, probabilities: [0.15, 0.15, 0.7] }, // cat, says bird: loss 1.897 (a newer score agrees)
        { imageId: ids[3]!, label: 1, probabilities: [0.3, 0.25, 0.45] }, // dog, says bird, but p(dog) 0.25 > 0.2: not strongly
        { imageId: ids[4]!, label: 1, probabilities: [0.95, 0.03, 0.02] }, // dog, says cat: loss 3.5, but relabelled since
        { imageId: ids[5]!, label: 1, probabilities: [0.6, 0.3, 0.1] }, // dog, says cat at 0.3: not strongly (a newer score disagrees)
      ],
      '2026-01-01T00:00:00.000Z',
    );
    assignLabel(project, [ids[4]!], cat);
    await storeSuggestions(project, { runId, checkpoint: 'best' }, [
      { imageId: ids[2]!, className: 'cat', prediction: prediction('/x/2', CLASSES, [0.95, 0.03, 0.02], 0.92, 0.23), label: { classId: cat, loss: 0.05 } },
      { imageId: ids[5]!, className: 'bird', prediction: prediction('/x/5', CLASSES, [0.1, 0.135, 0.765], 0.63, 0.7), label: { classId: dog, loss: 2.0 } },
    ]);
  });

  it('lists labelled images the latest opinion strongly disagrees with, highest loss first, naming the class the model prefers', () => {
    const page = listImages(project, { likelyErrors: true });
    expect(page.items.map((i) => i.id)).toEqual([ids[0], ids[5]]);
    expect(page.items.map((i) => i.model)).toEqual([
      { className: 'dog', score: expect.closeTo(-Math.log(0.1), 5) },
      { className: 'bird', score: 2.0 },
    ]);
    expect(page.total).toBe(2);
    expect(listImageIds(project, { likelyErrors: true })).toEqual([ids[0], ids[5]]);
    expect(listImageIds(project, { likelyErrors: true, classId: cat })).toEqual([ids[0]]);
    // Another order may be asked for; the filter stays.
    expect(listImageIds(project, { likelyErrors: true, orderBy: 'path' })).toEqual([ids[0], ids[5]].sort((a, b) => a! - b!));
    expect(LIKELY_ERROR_MIN_LOSS).toBeCloseTo(-Math.log(0.2), 10);
  });

  it('forgets an opinion once the label changes, and refuses to mix with unlabelled views', () => {
    assignLabel(project, [ids[0]!], dog);
    expect(listImageIds(project, { likelyErrors: true })).toEqual([ids[5]]);
    expect(() => listImages(project, { likelyErrors: true, unlabelled: true })).toThrow(/labelled images/);
    expect(() => listImages(project, { likelyErrors: true, orderBy: 'uncertainty' })).toThrow(/choose one/);
  });
});
