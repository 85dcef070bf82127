// Test support: a fresh project and an empty photo folder for each test of a file.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { Project } from '../../project/project';
import { cleanUp, makeProject, makeTempDir, type TempDir } from '../library-fixtures';

/** What each test gets; the fields are filled before each test and cleaned up after it. */
export interface ProjectFixture {
  tmp: TempDir;
  project: Project;
  /** The project's folder. */
  projectDir: string;
  /** An empty folder for the test's photos. */
  photos: string;
}

/** Registers hooks that give every test of the file its own project and photo folder. */
export function useProjectFixture(prefix?: string): ProjectFixture {
  const fixture = {} as ProjectFixture;
  beforeEach(() => {
    fixture.tmp = makeTempDir(prefix);
    fixture.project = makeProject(fixture.tmp);
    fixture.projectDir = fixture.project.layout.dir;
    fixture.photos = path.join(fixture.tmp.dir, 'photos');
    fs.mkdirSync(fixture.photos);
  });
  afterEach(() => cleanUp(fixture.tmp, fixture.project));
  return fixture;
}
