import type { Project } from '../project/project';

/** One of a run's classes (in its output order) and the project class it is now. */
export interface RunClass {
  /** The name the run trained it under: its checkpoints, exports and reports keep this name. */
  runName: string;
  /** The project class it is now (by the id the run recorded, else by name); null when none is. */
  classId: number | null;
  /**
   * What the project calls it now: its class's current name, else the run's name while no class
   * has that name (the class is gone; one made again under it will find it), else null.
   */
  name: string | null;
}

/**
 * A run's classes as the project has them now, in the run's output order. The rule lives in
 * the `training_run_classes` view (migration 8) so the grid's SQL and this agree.
 */
export function runClasses(project: Project, runId: number): RunClass[] {
  return project.db
    .prepare('SELECT run_name AS runName, class_id AS classId, name FROM training_run_classes WHERE run_id = ? ORDER BY idx')
    .all(runId) as RunClass[];
}

/**
 * How a prediction with a run's checkpoint labels its classes in the project: each class's
 * current name; a class whose name another class has taken since it was deleted says so, so no
 * two labels read alike.
 */
export function runClassLabels(project: Project, runId: number): string[] {
  return runClasses(project, runId).map((c) => c.name ?? `${c.runName} (deleted)`);
}
