import type { Database } from 'better-sqlite3';
import type { PredictedImage, Suggestion, SuggestionSource, SuggestionsSummary } from '../../api/types/predict';
import type { Project } from '../project/project';

/** The model suggestions come from, as stored: a run's checkpoint or an imported model. */
export type StoredSource = { runId: number; checkpoint: 'best' | 'last' } | { modelId: number };

/** One image's prediction to store, with the project class its top class maps to. */
export interface SuggestionInput {
  imageId: number;
  className: string;
  prediction: PredictedImage;
  /** The image's label when it was scored, and −log p(label); null for an unlabelled image or a label the model does not know. */
  label: { classId: number; loss: number } | null;
}

interface SuggestionRow {
  image_id: number;
  run_id: number | null;
  checkpoint: 'best' | 'last' | null;
  model_id: number | null;
  run_name: string | null;
  model_name: string | null;
  class_name: string;
  class_id: number | null;
  probability: number;
  margin: number;
  entropy: number;
  status: 'pending' | 'rejected';
  labelled: number;
  created_at: string;
}

const SELECT_SUGGESTIONS = `
  SELECT s.image_id, s.run_id, s.checkpoint, s.model_id, r.name AS run_name, m.name AS model_name, s.class_name,
         c.id AS class_id, s.probability, s.margin, s.entropy, s.status, l.image_id IS NOT NULL AS labelled, s.created_at
  FROM suggestions s
  LEFT JOIN training_runs r ON r.id = s.run_id
  LEFT JOIN imported_models m ON m.id = s.model_id
  LEFT JOIN classes c ON c.name = s.class_name
  LEFT JOIN labels l ON l.image_id = s.image_id`;

function sourceOf(row: Pick<SuggestionRow, 'run_id' | 'checkpoint' | 'run_name' | 'model_id' | 'model_name'>): SuggestionSource {
  if (row.run_id !== null) return { kind: 'run', runId: row.run_id, runName: row.run_name ?? `Run ${row.run_id}`, checkpoint: row.checkpoint ?? 'best' };
  return { kind: 'model', modelId: row.model_id ?? 0, name: row.model_name ?? `Model ${row.model_id}` };
}

function toSuggestion(row: SuggestionRow): Suggestion {
  return {
    imageId: row.image_id,
    className: row.class_name,
    classId: row.class_id,
    probability: row.probability,
    margin: row.margin,
    entropy: row.entropy,
    status: row.status,
    labelled: row.labelled === 1,
    source: sourceOf(row),
    createdAt: row.created_at,
  };
}

/** Suggestions written per transaction: the main thread answers other requests between chunks. */
const STORE_CHUNK = 2000;

/**
 * Stores one model's suggestions, replacing what an earlier model said about those images. A
 * suggestion the user rejected stays rejected when the new model suggests the same class; a
 * different class starts pending. Written in chunks of one statement and one transaction
 * each, yielding between them, so 100,000 rows never hold the main side's thread for long.
 */
export async function storeSuggestions(project: Project, source: StoredSource, inputs: readonly SuggestionInput[]): Promise<void> {
  const now = new Date().toISOString();
  const runId = 'runId' in source ? source.runId : null;
  const checkpoint = 'runId' in source ? source.checkpoint : null;
  const modelId = 'modelId' in source ? source.modelId : null;
  const upsert = project.db.prepare(
    `INSERT INTO suggestions (image_id, run_id, checkpoint, model_id, class_name, probability, margin, entropy, label_class_id, label_loss, status, created_at)
     SELECT j.value ->> '$[0]', @runId, @checkpoint, @modelId, j.value ->> '$[1]', j.value ->> '$[2]', j.value ->> '$[3]', j.value ->> '$[4]',
            j.value ->> '$[5]', j.value ->> '$[6]', 'pending', @now
     FROM json_each(@rows) j JOIN images i ON i.id = j.value ->> '$[0]'
     WHERE true
     ON CONFLICT (image_id) DO UPDATE SET
       run_id = excluded.run_id, checkpoint = excluded.checkpoint, model_id = excluded.model_id,
       status = CASE WHEN suggestions.class_name = excluded.class_name THEN suggestions.status ELSE 'pending' END,
       class_name = excluded.class_name, probability = excluded.probability, margin = excluded.margin, entropy = excluded.entropy,
       label_class_id = excluded.label_class_id, label_loss = excluded.label_loss, created_at = excluded.created_at`,
  );
  for (let start = 0; start < inputs.length; start += STORE_CHUNK) {
    const rows = inputs.slice(start, start + STORE_CHUNK).map((input) => [
      input.imageId,
      input.className,
      input.prediction.top[0]?.probability ?? 0,
      input.prediction.margin,
      input.prediction.entropy,
      input.label?.classId ?? null,
      input.label?.loss ?? null,
    ]);
    project.db.transaction(() => upsert.run({ rows: JSON.stringify(rows), runId, checkpoint, modelId, now }))();
    if (start + STORE_CHUNK < inputs.length) await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The suggestions of the given images (those that have one), in the order of the ids. */
export function listSuggestions(project: Project, imageIds: readonly number[]): Suggestion[] {
  const rows = project.db
    .prepare(`${SELECT_SUGGESTIONS} JOIN json_each(?) j ON j.value = s.image_id ORDER BY j.key`)
    .all(JSON.stringify(imageIds)) as SuggestionRow[];
  return rows.map(toSuggestion);
}

/** How many suggestions wait (pending, on unlabelled images), per class, and which model made the latest. */
export function suggestionsSummary(project: Project): SuggestionsSummary {
  const db = project.db;
  const perClassRows = db
    .prepare(
      `SELECT s.class_name AS name, COUNT(*) AS n FROM suggestions s
       WHERE s.status = 'pending' AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.image_id = s.image_id)
       GROUP BY s.class_name ORDER BY s.class_name`,
    )
    .all() as { name: string; n: number }[];
  const rejected = (db.prepare(`SELECT COUNT(*) AS n FROM suggestions WHERE status = 'rejected'`).get() as { n: number }).n;
  const latest = db
    .prepare(
      `SELECT s.run_id, s.checkpoint, s.model_id, r.name AS run_name, m.name AS model_name, s.created_at FROM suggestions s
       LEFT JOIN training_runs r ON r.id = s.run_id LEFT JOIN imported_models m ON m.id = s.model_id
       ORDER BY s.created_at DESC LIMIT 1`,
    )
    .get() as (Pick<SuggestionRow, 'run_id' | 'checkpoint' | 'run_name' | 'model_id' | 'model_name'> & { created_at: string }) | undefined;
  const perClass: Record<string, number> = {};
  for (const row of perClassRows) perClass[row.name] = row.n;
  return {
    pending: perClassRows.reduce((n, row) => n + row.n, 0),
    rejected,
    perClass,
    source: latest ? sourceOf(latest) : null,
    createdAt: latest?.created_at ?? null,
  };
}

/** Marks the suggestions of the given images rejected; returns how many changed. */
export function rejectSuggestions(project: Project, imageIds: readonly number[]): number {
  return project.db
    .prepare(`UPDATE suggestions SET status = 'rejected' WHERE status = 'pending' AND image_id IN (SELECT value FROM json_each(?))`)
    .run(JSON.stringify(imageIds)).changes;
}

/** A pending suggestion ready to become a label: the image and the project class it names (null when none has that name now). */
export interface AcceptCandidate {
  imageId: number;
  className: string;
  classId: number | null;
}

/** Pending suggestions of the given images, with their class as it is now. */
export function pendingOf(db: Database, imageIds: readonly number[]): AcceptCandidate[] {
  return db
    .prepare(
      `SELECT s.image_id AS imageId, s.class_name AS className, c.id AS classId FROM json_each(?) j
       JOIN suggestions s ON s.image_id = j.value LEFT JOIN classes c ON c.name = s.class_name
       WHERE s.status = 'pending'`,
    )
    .all(JSON.stringify(imageIds)) as AcceptCandidate[];
}

/** Pending suggestions on unlabelled images at or above a probability, with their class as it is now. */
export function pendingAbove(db: Database, threshold: number): AcceptCandidate[] {
  return db
    .prepare(
      `SELECT s.image_id AS imageId, s.class_name AS className, c.id AS classId FROM suggestions s
       LEFT JOIN classes c ON c.name = s.class_name
       WHERE s.status = 'pending' AND s.probability >= ? AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.image_id = s.image_id)
       ORDER BY s.image_id`,
    )
    .all(threshold) as AcceptCandidate[];
}
