import type { ProjectInfo } from '../api/types/app';
import { GraftError } from '../api/errors';
import type { Disposable } from '../base/lifecycle';
import { createProject, openProject, type Project } from './project/project';
import { APP_VERSION } from './app-version';
import { markInterruptedRuns } from './runs/run-store';

/** Holds the one open project of a window or a `graft serve`, and owns its database. */
export class ProjectSession implements Disposable {
  private project: Project | null = null;

  /** The open project, or null. */
  get current(): Project | null {
    return this.project;
  }

  /** The open project; fails with a message the user can act on when none is open. */
  require(): Project {
    if (!this.project) throw new GraftError('not-a-project', 'No project is open. Open or create a project first.');
    return this.project;
  }

  /** Opens an existing project, closing the previous one. */
  open(dir: string): ProjectInfo {
    return this.replace(openProject(dir, { appVersion: APP_VERSION }));
  }

  /** Creates a project and opens it, closing the previous one. */
  create(dir: string): ProjectInfo {
    return this.replace(createProject(dir, { appVersion: APP_VERSION }));
  }

  /** Closes the open project. */
  dispose(): void {
    this.project?.dispose();
    this.project = null;
  }

  private replace(next: Project): ProjectInfo {
    this.project?.dispose();
    this.project = next;
    // Runs a crashed or killed Graft left "running" say so, and can be resumed.
    markInterruptedRuns(next);
    return next.info();
  }
}
