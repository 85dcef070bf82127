import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Project } from '../project/project';
import { createClass, deleteClass, insertClassRow, listClasses, mergeClasses, renameClass, reorderClasses, setClassHotkey } from './classes';
import { importFolder } from './import-folder';
import { redo, undo } from './label-journal';
import { cleanUp, makeImage, makeProject, makeTempDir, type TempDir } from './library-fixtures';

let tmp: TempDir;
let project: Project;

beforeEach(() => {
  tmp = makeTempDir();
  project = makeProject(tmp);
});

afterEach(() => cleanUp(tmp, project));

const colours = () => listClasses(project).map((c) => c.color);

describe('class colours', () => {
  it('never hand a new class a colour another class uses while unused ones remain', () => {
    const [a, b, c] = ['a', 'b', 'c'].map((name) => createClass(project, name).classId);
    deleteClass(project, b!);
    createClass(project, 'd');
    expect(new Set(colours()).size).toBe(3);
    mergeClasses(project, [a!], c!);
    for (let i = 0; i < 30; i++) createClass(project, `extra ${i}`);
    expect(new Set(colours()).size).toBe(listClasses(project).length);
  });

  it('give classes a folder import creates free colours and the lowest free keys too', async () => {
    const [a] = ['a', 'b'].map((name) => createClass(project, name).classId);
    deleteClass(project, a!);
    const root = path.join(tmp.dir, 'photos');
    for (const [i, folder] of ['x', 'y'].entries()) {
      fs.mkdirSync(path.join(root, folder), { recursive: true });
      fs.writeFileSync(path.join(root, folder, 'one.png'), await makeImage('png', i + 1));
    }
    await importFolder(project, root, { labelsFromSubfolders: true });
    const classes = listClasses(project);
    // Which folder's class is made first depends on which photo is read first: b keeps 2, x and y get 1 and 3.
    expect(Object.fromEntries(classes.map((c) => [c.name, c.hotkey]))).toMatchObject({ b: 2 });
    expect(classes.filter((c) => c.name !== 'b').map((c) => c.hotkey).sort()).toEqual([1, 3]);
    expect(new Set(classes.map((c) => c.color)).size).toBe(3);
  });
});

const keys = () => Object.fromEntries(listClasses(project).map((c) => [c.name, c.hotkey]));

describe('class hotkeys', () => {
  it('give new classes the lowest free key; merges and deletes leave the other keys alone', () => {
    const [a, b] = ['a', 'b', 'c', 'd'].map((name) => createClass(project, name).classId);
    expect(keys()).toEqual({ a: 1, b: 2, c: 3, d: 4 });
    mergeClasses(project, [b!], a!);
    deleteClass(project, a!);
    expect(keys()).toEqual({ c: 3, d: 4 });
    createClass(project, 'e');
    expect(keys()).toEqual({ c: 3, d: 4, e: 1 });
  });

  it('hand out 1–9 only; a tenth class has no key until one is free', () => {
    const ids = Array.from({ length: 10 }, (_, i) => createClass(project, `k${i}`).classId);
    expect(listClasses(project).map((c) => c.hotkey)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, null]);
    setClassHotkey(project, ids[9]!, 3);
    expect(keys()).toMatchObject({ k2: null, k9: 3 });
    deleteClass(project, ids[0]!);
    expect(createClass(project, 'new').classId).toBeGreaterThan(0);
    expect(keys()).toMatchObject({ new: 1 });
  });

  it('exchange keys when the user gives a class a key another holds, and undo and redo the exchange', () => {
    const [a, , c] = ['a', 'b', 'c'].map((name) => createClass(project, name).classId);
    const result = setClassHotkey(project, c!, 1);
    expect(keys()).toEqual({ a: 3, b: 2, c: 1 });
    expect(result.undo.undoSummary).toBe('give "c" key 1 ("a" takes key 3)');
    undo(project);
    expect(keys()).toEqual({ a: 1, b: 2, c: 3 });
    redo(project);
    expect(keys()).toEqual({ a: 3, b: 2, c: 1 });
    setClassHotkey(project, a!, null);
    expect(keys()).toEqual({ a: null, b: 2, c: 1 });
    expect(() => setClassHotkey(project, a!, 0)).toThrow(/digit from 1 to 9/);
    expect(() => setClassHotkey(project, a!, 10)).toThrow(/digit from 1 to 9/);
  });

  it('bring a deleted class back with its key, or the lowest free one when another class took it', () => {
    const [, b] = ['a', 'b', 'c'].map((name) => createClass(project, name).classId);
    deleteClass(project, b!);
    undo(project);
    expect(keys()).toEqual({ a: 1, b: 2, c: 3 });
    redo(project);
    createClass(project, 'd');
    expect(keys()).toEqual({ a: 1, c: 3, d: 2 });
    // Undo the create of d, then the delete of b: b gets 2 back.
    undo(project);
    undo(project);
    expect(keys()).toEqual({ a: 1, b: 2, c: 3 });
    // A class an import made meanwhile (not journaled) took b's key: b comes back with the lowest free one.
    deleteClass(project, b!);
    insertClassRow(project.db, 'from an import');
    undo(project);
    expect(keys()).toEqual({ a: 1, b: 4, c: 3, 'from an import': 2 });
  });

  it('keep keys through renames, recolours and reorders, and their undo', () => {
    const [a, b] = ['a', 'b'].map((name) => createClass(project, name).classId);
    reorderClasses(project, [b!, a!]);
    renameClass(project, a!, 'alpha');
    undo(project);
    undo(project);
    expect(keys()).toEqual({ a: 1, b: 2 });
  });
});
