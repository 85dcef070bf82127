import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProject, type Project } from '../project/project';
import { createClass, deleteClass, listClasses, mergeClasses, recolorClass, renameClass, reorderClasses } from './classes';
import { redo, undo, undoState } from './label-journal';
import { assignLabel, removeLabels } from './labels';
import { cleanUp, makeProject, makeTempDir, seedImageRows, type TempDir } from './library-fixtures';

let tmp: TempDir;
let project: Project;
let ids: number[];

beforeEach(() => {
  tmp = makeTempDir();
  project = makeProject(tmp);
  ids = seedImageRows(project, 30);
});

afterEach(() => cleanUp(tmp, project));

/** Image id → class name, for every labelled image. */
function labels(p: Project = project): Record<number, string> {
  const rows = p.db.prepare('SELECT l.image_id AS id, c.name FROM labels l JOIN classes c ON c.id = l.class_id').all() as {
    id: number;
    name: string;
  }[];
  return Object.fromEntries(rows.map((r) => [r.id, r.name]));
}
const classNames = () => listClasses(project).map((c) => c.name);

describe('classes', () => {
  it('creates, renames, recolours and reorders classes, refusing bad or duplicate names', () => {
    const cat = createClass(project, ' cat ').classId;
    const dog = createClass(project, 'dog', { color: '#ABCDEF' }).classId;
    expect(listClasses(project)).toEqual([
      { id: cat, name: 'cat', color: expect.stringMatching(/^#[0-9a-f]{6}$/), sortOrder: 0, hotkey: 1, imageCount: 0 },
      { id: dog, name: 'dog', color: '#abcdef', sortOrder: 1, hotkey: 2, imageCount: 0 },
    ]);
    expect(() => createClass(project, 'cat')).toThrow(/already exists/);
    expect(() => createClass(project, '   ')).toThrow(/needs a name/);
    expect(() => createClass(project, 'x', { color: 'red' })).toThrow(/#rrggbb/);
    expect(() => renameClass(project, dog, 'cat')).toThrow(/already exists/);
    expect(() => renameClass(project, 999, 'z')).toThrow(/does not exist/);
    renameClass(project, cat, 'kitten');
    recolorClass(project, cat, '#112233');
    reorderClasses(project, [dog, cat]);
    expect(listClasses(project).map((c) => [c.name, c.color, c.sortOrder])).toEqual([
      ['dog', '#abcdef', 0],
      ['kitten', '#112233', 1],
    ]);
    // Each step is undoable, newest first.
    undo(project);
    expect(classNames()).toEqual(['kitten', 'dog']);
    undo(project);
    expect(listClasses(project)[0]!.color).not.toBe('#112233');
    undo(project);
    expect(classNames()).toEqual(['cat', 'dog']);
  });

  it('reorders only by a list of every class, repeats ignored, and undoes in one step', () => {
    const [a, b, c] = ['a', 'b', 'c'].map((name) => createClass(project, name).classId) as [number, number, number];
    reorderClasses(project, [c, a, c, b, a, c]);
    expect(classNames()).toEqual(['c', 'a', 'b']);
    undo(project);
    expect(classNames()).toEqual(['a', 'b', 'c']);
    const refused = (ids: unknown, message: RegExp) =>
      expect(() => reorderClasses(project, ids as number[])).toThrow(expect.objectContaining({ code: 'bad-request', message: expect.stringMatching(message) }));
    refused([c, a], /every class once/);
    refused([c, a, b, 999], /every class once/);
    refused([c, a, 'b'], /Not a class id/);
    refused('abc', /must be a list/);
    expect(undoState(project)).toMatchObject({ canUndo: true, undoSummary: 'create class "c"' });
  });

  it('merges classes and deletes a class, reporting images affected; both undo and redo', () => {
    const a = createClass(project, 'a').classId;
    const b = createClass(project, 'b').classId;
    const c = createClass(project, 'c').classId;
    assignLabel(project, ids.slice(0, 10), a);
    assignLabel(project, ids.slice(10, 15), b);
    assignLabel(project, ids.slice(15, 20), c);
    const snapshot = labels();

    const merged = mergeClasses(project, [a, b], c);
    expect(merged.imagesChanged).toBe(15);
    expect(classNames()).toEqual(['c']);
    expect(Object.values(labels()).every((n) => n === 'c')).toBe(true);
    expect(undo(project)?.kind).toBe('class-merge');
    expect(labels()).toEqual(snapshot);
    expect(listClasses(project).map((x) => [x.id, x.name, x.imageCount])).toEqual([
      [a, 'a', 10],
      [b, 'b', 5],
      [c, 'c', 5],
    ]);
    expect(redo(project)?.imagesChanged).toBe(15);
    expect(classNames()).toEqual(['c']);
    undo(project);

    const deleted = deleteClass(project, a);
    expect(deleted.imagesChanged).toBe(10);
    expect(Object.keys(labels())).toHaveLength(10);
    expect(undoState(project)).toMatchObject({ canUndo: true, canRedo: false, undoSummary: 'delete class "a" (10 images)' });
    undo(project);
    expect(labels()).toEqual(snapshot);
    redo(project);
    expect(classNames()).toEqual(['b', 'c']);
    expect(() => mergeClasses(project, [c], c)).toThrow(/at least one class/);
  });
});

describe('labels', () => {
  it('assigns, relabels and removes in bulk; each step undoes and redoes exactly', () => {
    const cat = createClass(project, 'cat').classId;
    const dog = createClass(project, 'dog').classId;
    const first = assignLabel(project, ids.slice(0, 20), cat);
    expect(first).toMatchObject({ changed: 20, unknown: 0, undo: { canUndo: true, undoSummary: 'label 20 images as "cat"' } });
    const second = assignLabel(project, [...ids.slice(10, 30), 9999], dog);
    expect(second).toMatchObject({ changed: 20, unknown: 1 });
    expect(assignLabel(project, ids.slice(10, 30), dog).changed).toBe(0);
    const removed = removeLabels(project, ids.slice(0, 5));
    expect(removed.changed).toBe(5);
    const afterAll = labels();
    expect(Object.keys(afterAll)).toHaveLength(25);

    undo(project); // remove
    expect(Object.keys(labels())).toHaveLength(30);
    undo(project); // dog
    const onlyCats = labels();
    expect(Object.keys(onlyCats)).toHaveLength(20);
    expect(Object.values(onlyCats).every((n) => n === 'cat')).toBe(true);
    undo(project); // cat
    expect(labels()).toEqual({});
    expect(undo(project)?.kind).toBe('class-create');
    expect(undo(project)?.kind).toBe('class-create');
    expect(undo(project)).toBeNull();
    for (let i = 0; i < 5; i++) redo(project);
    expect(labels()).toEqual(afterAll);
    expect(redo(project)).toBeNull();
  });

  it('a new operation clears the redo stack', () => {
    const cat = createClass(project, 'cat').classId;
    assignLabel(project, ids.slice(0, 3), cat);
    undo(project);
    expect(undoState(project).canRedo).toBe(true);
    assignLabel(project, ids.slice(5, 6), cat);
    expect(undoState(project).canRedo).toBe(false);
  });

  it('refuses bad ids and unknown classes', () => {
    expect(() => assignLabel(project, [1.5], 1)).toThrow(/Not an image id/);
    expect(() => assignLabel(project, ids, 999)).toThrow(/does not exist/);
  });

  it('keeps the journal across a restart', () => {
    const cat = createClass(project, 'cat').classId;
    assignLabel(project, ids, cat);
    project.dispose();
    project = openProject(path.join(tmp.dir, 'project'));
    expect(undoState(project)).toMatchObject({ canUndo: true, undoSummary: 'label 30 images as "cat"' });
    undo(project);
    expect(labels()).toEqual({});
    project.dispose();
    project = openProject(path.join(tmp.dir, 'project'));
    redo(project);
    expect(Object.keys(labels())).toHaveLength(30);
  });

  it('labels 10,000 images in one operation and undoes it in one step', () => {
    const many = seedImageRows(project, 10_000, 'bulk');
    const cat = createClass(project, 'cat').classId;
    const started = performance.now();
    expect(assignLabel(project, many, cat).changed).toBe(10_000);
    const seconds = (performance.now() - started) / 1000;
    expect(listClasses(project)[0]!.imageCount).toBe(10_000);
    expect(undo(project)?.imagesChanged).toBe(10_000);
    expect(listClasses(project)[0]!.imageCount).toBe(0);
    expect(redo(project)?.imagesChanged).toBe(10_000);
    expect(seconds).toBeLessThan(5);
  });

  it('refuses to restore a deleted class whose name an import has taken since, and changes nothing', () => {
    const cat = createClass(project, 'cat').classId;
    assignLabel(project, ids.slice(0, 2), cat);
    deleteClass(project, cat);
    // Imports create folder classes outside the journal.
    project.db.prepare("INSERT INTO classes (name, color, sort_order, created_at) VALUES ('cat', '#000000', 5, 'now')").run();
    expect(() => undo(project)).toThrow(/another class now has that name/);
    expect(undoState(project).canUndo).toBe(true);
    expect(labels()).toEqual({});
  });
});
