import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Project } from '../project/project';
import { createClass, deleteClass, listClasses, mergeClasses } from './classes';
import { cleanUp, makeProject, makeTempDir, type TempDir } from './library-fixtures';

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
});
