import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Project } from '../project/project';
import { createClass } from './classes';
import { assignLabel } from './labels';
import { cleanUp, makeProject, makeTempDir, seedImageRows, type TempDir } from './library-fixtures';
import { placeClass, splitTargets } from './split-math';
import { assignSplits, pinSplit, splitCounts, splitSettings, unpinSplit } from './splits';

let tmp: TempDir;
let project: Project;
let cats: number[];
let dogs: number[];

beforeEach(() => {
  tmp = makeTempDir();
  project = makeProject(tmp);
  cats = seedImageRows(project, 100, 'cat');
  dogs = seedImageRows(project, 20, 'dog');
  seedImageRows(project, 7, 'unlabelled');
  assignLabel(project, cats, createClass(project, 'cat').classId);
  assignLabel(project, dogs, createClass(project, 'dog').classId);
});

afterEach(() => cleanUp(tmp, project));

const splitOf = () =>
  Object.fromEntries((project.db.prepare('SELECT image_id, split FROM splits').all() as { image_id: number; split: string }[]).map((r) => [r.image_id, r.split]));

describe('split math', () => {
  it('turns fractions into whole counts that always add up', () => {
    expect(splitTargets(100, { train: 0.8, validation: 0.1, test: 0.1 })).toEqual({ train: 80, validation: 10, test: 10 });
    expect(splitTargets(7, { train: 0.7, validation: 0.15, test: 0.15 })).toEqual({ train: 5, validation: 1, test: 1 });
    expect(splitTargets(3, { train: 0.8, validation: 0.1, test: 0.1 })).toEqual({ train: 3, validation: 0, test: 0 });
    for (let n = 0; n < 50; n++) {
      const t = splitTargets(n, { train: 0.6, validation: 0.25, test: 0.15 });
      expect(t.train + t.validation + t.test).toBe(n);
    }
  });

  it('places images by content and seed, not by order', () => {
    const images = Array.from({ length: 50 }, (_, i) => ({ id: i, contentHash: `h${i}`, pinned: null }));
    const a = placeClass(images, { train: 0.6, validation: 0.2, test: 0.2 }, 7);
    const b = placeClass([...images].reverse(), { train: 0.6, validation: 0.2, test: 0.2 }, 7);
    expect([...a].sort()).toEqual([...b].sort());
    const c = placeClass(images, { train: 0.6, validation: 0.2, test: 0.2 }, 8);
    expect([...c].sort()).not.toEqual([...a].sort());
  });
});

describe('assignSplits', () => {
  it('stratifies per class, stores the result and leaves unlabelled images out', () => {
    const counts = assignSplits(project, { train: 0.8, validation: 0.1, test: 0.1 }, 1);
    expect(counts.perClass).toEqual([
      { classId: expect.any(Number), name: 'cat', train: 80, validation: 10, test: 10, none: 0 },
      { classId: expect.any(Number), name: 'dog', train: 16, validation: 2, test: 2, none: 0 },
    ]);
    expect(counts.totals).toEqual({ train: 96, validation: 12, test: 12, none: 0 });
    expect(Object.keys(splitOf())).toHaveLength(120);
    expect(splitSettings(project)).toMatchObject({ train: 0.8, validation: 0.1, test: 0.1, seed: 1 });
  });

  it('gives the same splits for the same seed and different ones for another seed', () => {
    assignSplits(project, undefined, 5);
    const first = splitOf();
    assignSplits(project, undefined, 5);
    expect(splitOf()).toEqual(first);
    assignSplits(project, undefined, 6);
    expect(splitOf()).not.toEqual(first);
  });

  it('keeps pinned images in their split and counts them toward the class share', () => {
    pinSplit(project, cats.slice(0, 15), 'test');
    const counts = assignSplits(project, { train: 0.8, validation: 0.1, test: 0.1 }, 3);
    const split = splitOf();
    for (const id of cats.slice(0, 15)) expect(split[id]).toBe('test');
    // 15 pinned in test exceed its share of 10: no unpinned cat goes to test.
    expect(counts.perClass[0]).toMatchObject({ name: 'cat', test: 15, validation: 10, train: 75 });
    unpinSplit(project, cats.slice(0, 15));
    expect(assignSplits(project, { train: 0.8, validation: 0.1, test: 0.1 }, 3).perClass[0]).toMatchObject({ test: 10 });
  });

  it('counts labelled images without a split as none, and refuses bad fractions', () => {
    assignSplits(project);
    const extra = seedImageRows(project, 4, 'late');
    assignLabel(project, extra, 1);
    expect(splitCounts(project).perClass[0]).toMatchObject({ name: 'cat', none: 4 });
    expect(() => assignSplits(project, { train: 0.5, validation: 0.1, test: 0.1 })).toThrow(/add up to 1/);
    expect(() => assignSplits(project, { train: 1.2, validation: -0.1, test: -0.1 })).toThrow(/between 0 and 1/);
  });
});
