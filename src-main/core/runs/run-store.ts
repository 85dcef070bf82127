import fs from 'node:fs';
import path from 'node:path';
import { GraftError } from '../../api/errors';
import { ownerLiveness, processStartTime, systemProcessProbe, type ProcessProbe } from '../../base/process-alive';
import type { SplitName } from '../../api/types/library';
import type {
  CacheStats,
  DatasetSnapshot,
  EvaluationSummary,
  RunDetail,
  RunImage,
  RunStage,
  RunStatus,
  RunSummary,
  SplitEvaluation,
  TrainingConfig,
  TrainResult,
} from '../../api/types/runs';
import type { BatchRecord, ClassificationReport, EpochRecord } from '../../api/types/training';
import type { Project } from '../project/project';

interface RunRow {
  id: number;
  name: string;
  status: RunStatus;
  config: string;
  classes: string;
  folder: string;
  created_at: string;
  finished_at: string | null;
  backend: string | null;
  runtime: string | null;
  seconds: number | null;
  best_epoch: number | null;
  best_val_acc: number | null;
  best_val_loss: number | null;
  checkpoint_best: string | null;
  checkpoint_last: string | null;
  cache_hits: number | null;
  cache_misses: number | null;
  cache_bytes: number | null;
  error: string | null;
}

/** Creates a run row and its folder with the config and snapshot (its classes' ids too, when it has them); returns its id and folder. */
export function createRun(project: Project, config: TrainingConfig, snapshot: DatasetSnapshot, name?: string): { runId: number; dir: string } {
  const now = new Date().toISOString();
  const insert = project.db.transaction(() => {
    const { lastInsertRowid } = project.db
      .prepare(`INSERT INTO training_runs (name, status, config, classes, class_ids, folder, created_at, owner_pid) VALUES (?, 'running', ?, ?, ?, '', ?, ?)`)
      .run(name ?? '', JSON.stringify(config), JSON.stringify(snapshot.classes), snapshot.classIds ? JSON.stringify(snapshot.classIds) : null, now, process.pid);
    const runId = Number(lastInsertRowid);
    const folder = `run-${String(runId).padStart(4, '0')}`;
    project.db
      .prepare('UPDATE training_runs SET folder = ?, name = ?, owner_started = ? WHERE id = ?')
      .run(folder, name ?? `Run ${runId} · ${config.base.arch}`, processStartTime(process.pid), runId);
    const addImage = project.db.prepare('INSERT INTO training_run_images (run_id, image_id, content_hash, path, label, split) VALUES (?, ?, ?, ?, ?, ?)');
    for (const image of snapshot.images) addImage.run(runId, image.imageId, image.contentHash, image.path, image.label, image.split);
    return { runId, folder };
  });
  const { runId, folder } = insert();
  const dir = path.join(project.layout.runs, folder);
  fs.mkdirSync(dir, { recursive: true });
  return { runId, dir };
}

/** The folder of a run. */
export function runDir(project: Project, runId: number): string {
  return path.join(project.layout.runs, requireRow(project, runId).folder);
}

/** Appends epoch records (replacing an epoch recorded before, as a resumed run repeats it). */
export function recordEpochs(project: Project, runId: number, epochs: readonly (EpochRecord & { stage: RunStage })[]): void {
  const put = project.db.prepare(
    `INSERT OR REPLACE INTO training_run_epochs (run_id, epoch, stage, loss, acc, val_loss, val_acc, lr, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  project.db.transaction(() => {
    for (const e of epochs) put.run(runId, e.epoch, e.stage, e.loss, e.acc, e.valLoss, e.valAcc, e.lr, e.seconds);
  })();
}

/** Appends sampled batch records. */
export function recordBatches(project: Project, runId: number, batches: readonly BatchRecord[]): void {
  const put = project.db.prepare('INSERT OR REPLACE INTO training_run_batches (run_id, step, epoch, batch, loss, acc, lr) VALUES (?, ?, ?, ?, ?, ?, ?)');
  project.db.transaction(() => {
    for (const b of batches) put.run(runId, b.step, b.epoch, b.batch, b.loss, b.acc, b.lr);
  })();
}

/** Records how a run ended, from the engine's result. */
export function finishRun(project: Project, runId: number, result: TrainResult): void {
  project.db
    .prepare(
      `UPDATE training_runs SET status = ?, finished_at = ?, backend = ?, runtime = ?, seconds = ?, best_epoch = ?, best_val_acc = ?,
         best_val_loss = ?, checkpoint_best = ?, checkpoint_last = ?, cache_hits = ?, cache_misses = ?, cache_bytes = ?, error = NULL
       WHERE id = ?`,
    )
    .run(
      result.status,
      new Date().toISOString(),
      result.backend,
      result.runtime,
      result.seconds,
      result.best?.epoch ?? null,
      result.best?.valAcc ?? null,
      result.best?.valLoss ?? null,
      result.checkpoints.best,
      result.checkpoints.last,
      result.cache.hits,
      result.cache.misses,
      result.cache.bytes,
      runId,
    );
}

/** Marks a run failed with the reason; it can be resumed when it has a last checkpoint. */
export function failRun(project: Project, runId: number, status: 'failed' | 'cancelled', error: string): void {
  const last = checkpointOnDisk(project, runId, 'last');
  const best = checkpointOnDisk(project, runId, 'best');
  project.db
    .prepare('UPDATE training_runs SET status = ?, finished_at = ?, error = ?, checkpoint_last = ?, checkpoint_best = ? WHERE id = ?')
    .run(status, new Date().toISOString(), error, last, best, runId);
}

/**
 * Marks runs left `running` by a process that is gone as failed, saying they can be resumed.
 * The owner is checked by pid and, where it was recorded and the system can read it (Linux),
 * its start time: a pid now held by another process no longer keeps a dead run "running".
 */
export function markInterruptedRuns(project: Project, probe: ProcessProbe = systemProcessProbe): number {
  const running = project.db
    .prepare(`SELECT id, owner_pid AS pid, owner_started AS started FROM training_runs WHERE status = 'running'`)
    .all() as { id: number; pid: number | null; started: string | null }[];
  const stale = running.filter((r) => r.pid === null || ownerLiveness(r.pid, r.started, probe) === 'gone');
  for (const { id } of stale) failRun(project, id, 'failed', 'Interrupted: Graft stopped while this run trained. Resume it to continue from its last checkpoint.');
  return stale.length;
}

/** Moves a run back to `running` for a resume. */
export function reopenRun(project: Project, runId: number): void {
  project.db
    .prepare(`UPDATE training_runs SET status = 'running', finished_at = NULL, error = NULL, owner_pid = ?, owner_started = ? WHERE id = ?`)
    .run(process.pid, processStartTime(process.pid), runId);
}

/** Records an evaluation with its per-image predictions; returns its summary. */
export function recordEvaluation(project: Project, runId: number, evaluation: SplitEvaluation): EvaluationSummary {
  const createdAt = new Date().toISOString();
  const id = project.db.transaction(() => {
    const { lastInsertRowid } = project.db
      .prepare('INSERT INTO training_run_evaluations (run_id, split, checkpoint, report, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(runId, evaluation.split, evaluation.checkpoint, JSON.stringify(evaluation.report), createdAt);
    const evaluationId = Number(lastInsertRowid);
    const put = project.db.prepare(
      'INSERT INTO training_run_predictions (evaluation_id, image_id, predicted, probability, loss, probabilities) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const p of evaluation.predictions) {
      put.run(evaluationId, p.imageId, p.predicted, p.probability, p.loss, Buffer.from(new Float32Array(p.probabilities).buffer));
    }
    return evaluationId;
  })();
  return { id, split: evaluation.split, checkpoint: evaluation.checkpoint, report: evaluation.report, createdAt };
}

/** Every run, newest first. */
export function listRuns(project: Project): RunSummary[] {
  const rows = project.db.prepare('SELECT * FROM training_runs ORDER BY id DESC').all() as RunRow[];
  return rows.map((row) => summaryOf(project, row));
}

/** One run with its history and evaluations. */
export function getRun(project: Project, runId: number): RunDetail {
  const row = requireRow(project, runId);
  const history = project.db
    .prepare('SELECT epoch, stage, loss, acc, val_loss AS valLoss, val_acc AS valAcc, lr, seconds FROM training_run_epochs WHERE run_id = ? ORDER BY epoch')
    .all(runId) as (EpochRecord & { stage: RunStage })[];
  const batches = project.db
    .prepare('SELECT epoch, batch, step, loss, acc, lr FROM training_run_batches WHERE run_id = ? ORDER BY step')
    .all(runId) as BatchRecord[];
  const splits = project.db.prepare('SELECT split, COUNT(*) AS n FROM training_run_images WHERE run_id = ? GROUP BY split').all(runId) as { split: SplitName; n: number }[];
  const splitCounts: Record<SplitName, number> = { train: 0, validation: 0, test: 0 };
  for (const { split, n } of splits) splitCounts[split] = n;
  const cache: CacheStats | null = row.cache_hits === null ? null : { hits: row.cache_hits, misses: row.cache_misses ?? 0, bytes: row.cache_bytes ?? 0 };
  return {
    ...summaryOf(project, row),
    config: JSON.parse(row.config) as TrainingConfig,
    dir: path.join(project.layout.runs, row.folder),
    checkpoints: { best: row.checkpoint_best, last: row.checkpoint_last },
    history,
    batches,
    cache,
    splitCounts,
    evaluations: evaluationsOf(project, runId),
  };
}

/** The images of a run's snapshot, optionally of one split. */
export function runImages(project: Project, runId: number, split?: SplitName): RunImage[] {
  requireRow(project, runId);
  const sql = `SELECT image_id AS imageId, content_hash AS contentHash, path, label, split FROM training_run_images WHERE run_id = ?${split ? ' AND split = ?' : ''} ORDER BY image_id`;
  return project.db.prepare(sql).all(...(split ? [runId, split] : [runId])) as RunImage[];
}

/** The class list and config a run was made with. */
export function runSetup(project: Project, runId: number): { config: TrainingConfig; classes: string[] } {
  const row = requireRow(project, runId);
  return { config: JSON.parse(row.config) as TrainingConfig, classes: JSON.parse(row.classes) as string[] };
}

/** Renames a run. */
export function renameRun(project: Project, runId: number, name: string): RunSummary {
  requireRow(project, runId);
  const tidy = name.trim();
  if (!tidy) throw new GraftError('bad-request', 'A run needs a name.');
  project.db.prepare('UPDATE training_runs SET name = ? WHERE id = ?').run(tidy, runId);
  return summaryOf(project, requireRow(project, runId));
}

/** Deletes a run with its history and its folder (checkpoints). */
export function deleteRun(project: Project, runId: number): void {
  const row = requireRow(project, runId);
  project.db.prepare('DELETE FROM training_runs WHERE id = ?').run(runId);
  fs.rmSync(path.join(project.layout.runs, row.folder), { recursive: true, force: true });
}

function evaluationsOf(project: Project, runId: number): EvaluationSummary[] {
  const rows = project.db
    .prepare('SELECT id, split, checkpoint, report, created_at AS createdAt FROM training_run_evaluations WHERE run_id = ? ORDER BY id')
    .all(runId) as (Omit<EvaluationSummary, 'report'> & { report: string })[];
  return rows.map((r) => ({ ...r, report: JSON.parse(r.report) as ClassificationReport }));
}

function summaryOf(project: Project, row: RunRow): RunSummary {
  const config = JSON.parse(row.config) as TrainingConfig;
  const epochs = (project.db.prepare('SELECT COUNT(*) AS n FROM training_run_epochs WHERE run_id = ?').get(row.id) as { n: number }).n;
  const test = project.db
    .prepare(`SELECT report FROM training_run_evaluations WHERE run_id = ? AND split = 'test' ORDER BY id DESC LIMIT 1`)
    .get(row.id) as { report: string } | undefined;
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    arch: config.base.arch,
    classes: JSON.parse(row.classes) as string[],
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    epochs,
    best: row.best_epoch === null ? null : { epoch: row.best_epoch, valAcc: row.best_val_acc, valLoss: row.best_val_loss },
    testAcc: test ? (JSON.parse(test.report) as ClassificationReport).accuracy : null,
    backend: row.backend,
    runtime: row.runtime,
    seconds: row.seconds,
    error: row.error,
    hasCheckpoint: row.checkpoint_last !== null || row.checkpoint_best !== null,
  };
}

function requireRow(project: Project, runId: number): RunRow {
  const row = project.db.prepare('SELECT * FROM training_runs WHERE id = ?').get(runId) as RunRow | undefined;
  if (!row) throw new GraftError('not-found', `There is no run ${runId} in this project (graft runs lists them).`);
  return row;
}

/** The checkpoint folder of a run as the engine writes it, when it exists. */
function checkpointOnDisk(project: Project, runId: number, which: 'best' | 'last'): string | null {
  const relative = path.join('checkpoints', which);
  return fs.existsSync(path.join(runDir(project, runId), relative, 'model.json')) ? relative : null;
}
