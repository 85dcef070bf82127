import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Project } from '../project/project';
import { createClass } from './classes';
import { listImageIds, listImages, libraryCounts, type ImageQuery } from './image-query';
import { assignLabel } from './labels';
import { cleanUp, makeProject, makeTempDir, seedImageRows, type TempDir } from './library-fixtures';
import { pinSplit } from './splits';

let tmp: TempDir;
let project: Project;
let ids: number[];
let cat: number;

beforeEach(() => {
  tmp = makeTempDir();
  project = makeProject(tmp);
  ids = seedImageRows(project, 50, 'photo');
  cat = createClass(project, 'cat').classId;
  assignLabel(project, ids.slice(0, 20), cat);
  pinSplit(project, ids.slice(0, 5), 'validation');
  project.db.prepare('UPDATE images SET missing = 1 WHERE id = ?').run(ids[49]);
});

afterEach(() => cleanUp(tmp, project));

describe('listImages', () => {
  it('pages in a stable order with a total', () => {
    const first = listImages(project, { limit: 20 });
    const second = listImages(project, { limit: 20, offset: 20 });
    expect(first.total).toBe(50);
    expect(first.items).toHaveLength(20);
    const all = [...first.items, ...second.items, ...listImages(project, { limit: 20, offset: 40 }).items];
    expect(new Set(all.map((i) => i.id)).size).toBe(50);
    expect(all.map((i) => i.path)).toEqual([...all.map((i) => i.path)].sort());
    expect(first.items[0]).toMatchObject({ id: ids[0], classId: cat, split: 'validation', pinned: true, missing: false, format: 'jpeg' });
  });

  it('filters by class, unlabelled, split, file name and missing', () => {
    expect(listImages(project, { classId: cat }).total).toBe(20);
    expect(listImages(project, { unlabelled: true }).total).toBe(30);
    expect(listImages(project, { split: 'validation' }).total).toBe(5);
    expect(listImages(project, { split: 'none', classId: cat }).total).toBe(15);
    expect(listImages(project, { nameContains: 'PHOTO-00001' }).total).toBe(10);
    expect(listImages(project, { nameContains: '%' }).total).toBe(0);
    expect(listImages(project, { missing: true }).items.map((i) => i.id)).toEqual([ids[49]]);
    expect(() => listImages(project, { classId: cat, unlabelled: true })).toThrow(/not both/);
    expect(() => listImages(project, { limit: 0 })).toThrow(/Page size/);
  });

  it('orders by path, name or date added, and refuses any other order as a bad request', () => {
    expect(listImages(project, { orderBy: 'added', limit: 3 }).items.map((i) => i.id)).toEqual(ids.slice(0, 3));
    expect(listImageIds(project, { orderBy: 'name' })).toHaveLength(50);
    for (const orderBy of ['size', 'i.id; DROP TABLE images', 'toString']) {
      const query = { orderBy } as unknown as ImageQuery;
      expect(() => listImages(project, query)).toThrow(expect.objectContaining({ code: 'bad-request', message: expect.stringMatching(/Order by/) }));
      expect(() => listImageIds(project, query)).toThrow(expect.objectContaining({ code: 'bad-request' }));
    }
  });

  it('counts labelled, unlabelled, missing and per class', () => {
    expect(libraryCounts(project)).toEqual({ total: 50, labelled: 20, unlabelled: 30, missing: 1, perClass: { [cat]: 20 } });
  });
});
