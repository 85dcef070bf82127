// Test support: predictions, runs and evaluations written straight into a project, so the
// suggestion store, acceptance and the model-based grid views are tested without an engine.
import type { PredictedImage } from '../../../api/types/predict';
import type { DatasetSnapshot } from '../../../api/types/runs';
import { smallConfig } from '../../../engine/training/test-support/train-fixtures';
import type { Project } from '../../project/project';
import { createRun, recordEvaluation } from '../../runs/run-store';

/** A prediction row as the engine gives it, with the margin and entropy given (worked out by hand in the tests). */
export function prediction(path: string, classes: readonly string[], probabilities: number[], margin: number, entropy: number): PredictedImage {
  const order = probabilities.map((_, c) => c).sort((a, b) => probabilities[b]! - probabilities[a]!);
  return { path, top: order.map((c) => ({ classIndex: c, label: classes[c]!, probability: probabilities[c]! })), probabilities, margin, entropy };
}

/**
 * A finished run over `images` (label indices into `classes`, all in the test split); returns
 * its id. Like a run started now, it records the ids of the project's classes of those names
 * when the project has them all (else none, as a run from before ids were recorded).
 */
export function seedRun(project: Project, classes: string[], images: { imageId: number; label: number }[]): number {
  const find = project.db.prepare('SELECT id FROM classes WHERE name = ?').pluck();
  const ids = classes.map((name) => find.get(name) as number | undefined);
  const snapshot: DatasetSnapshot = {
    classes,
    ...(ids.every((id) => id !== undefined) ? { classIds: ids } : {}),
    images: images.map((i) => ({ imageId: i.imageId, label: i.label, split: 'test', path: `/seeded/${i.imageId}.jpg`, contentHash: String(i.imageId) })),
  };
  const { runId } = createRun(project, smallConfig(), snapshot, 'Seeded run');
  project.db.prepare(`UPDATE training_runs SET status = 'completed', checkpoint_best = 'checkpoints/best' WHERE id = ?`).run(runId);
  return runId;
}

/** Records an evaluation of run `runId` giving each image these probabilities (loss of its snapshot label computed here); returns the evaluation id. */
export function seedEvaluation(project: Project, runId: number, rows: { imageId: number; label: number; probabilities: number[] }[], createdAt?: string): number {
  const predictions = rows.map((row) => {
    const predicted = row.probabilities.indexOf(Math.max(...row.probabilities));
    return { imageId: row.imageId, predicted, probability: row.probabilities[predicted]!, loss: -Math.log(Math.max(row.probabilities[row.label]!, 1e-7)), probabilities: row.probabilities };
  });
  const report = { accuracy: 0, precision: [], recall: [], f1: [], support: [], confusion: [], macro: { precision: 0, recall: 0, f1: 0 }, weighted: { precision: 0, recall: 0, f1: 0 } };
  const { id } = recordEvaluation(project, runId, { split: 'test', checkpoint: 'best', report, predictions });
  if (createdAt) project.db.prepare('UPDATE training_run_evaluations SET created_at = ? WHERE id = ?').run(createdAt, id);
  return id;
}
