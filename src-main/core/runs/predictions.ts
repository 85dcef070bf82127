import { GraftError } from '../../api/errors';
import type { PredictionItem, PredictionPage, PredictionQuery } from '../../api/types/runs';
import type { Project } from '../project/project';

interface Row {
  imageId: number;
  path: string;
  label: number;
  predicted: number;
  probability: number;
  loss: number;
  probabilities: Buffer;
  currentLabel: string | null;
}

/** Largest page of predictions. */
const MAX_PAGE = 500;

/**
 * One evaluation's per-image predictions for the gallery: all or only the wrong ones, of one
 * true or predicted class, highest loss (or least confidence) first, with each image's label
 * as it is now in the library. `urls` builds an image's thumbnail and original URLs.
 */
export function listPredictions(project: Project, query: PredictionQuery, urls: (imageId: number) => { thumbUrl: string; originalUrl: string }): PredictionPage {
  const evaluation = project.db.prepare('SELECT run_id AS runId FROM training_run_evaluations WHERE id = ?').get(query.evaluationId) as { runId: number } | undefined;
  if (!evaluation) throw new GraftError('not-found', `There is no evaluation ${query.evaluationId}; evaluate the run again.`);
  const where = ['p.evaluation_id = @evaluationId'];
  if (query.misclassified) where.push('p.predicted <> ri.label');
  if (query.trueClass !== undefined) where.push('ri.label = @trueClass');
  if (query.predictedClass !== undefined) where.push('p.predicted = @predictedClass');
  const order = query.orderBy === 'confidence' ? 'p.probability ASC, p.image_id' : 'p.loss DESC, p.image_id';
  const from = `FROM training_run_predictions p
    JOIN training_run_images ri ON ri.run_id = @runId AND ri.image_id = p.image_id
    LEFT JOIN labels l ON l.image_id = p.image_id
    LEFT JOIN classes c ON c.id = l.class_id
    WHERE ${where.join(' AND ')}`;
  const params = {
    evaluationId: query.evaluationId,
    runId: evaluation.runId,
    trueClass: query.trueClass ?? null,
    predictedClass: query.predictedClass ?? null,
    offset: query.offset ?? 0,
    limit: Math.min(query.limit ?? 100, MAX_PAGE),
  };
  const { total } = project.db.prepare(`SELECT COUNT(*) AS total ${from}`).get(params) as { total: number };
  const rows = project.db
    .prepare(
      `SELECT p.image_id AS imageId, ri.path AS path, ri.label AS label, p.predicted AS predicted, p.probability AS probability,
              p.loss AS loss, p.probabilities AS probabilities, c.name AS currentLabel
       ${from} ORDER BY ${order} LIMIT @limit OFFSET @offset`,
    )
    .all(params) as Row[];
  const items: PredictionItem[] = rows.map((row) => ({
    imageId: row.imageId,
    path: row.path,
    ...urls(row.imageId),
    label: row.label,
    predicted: row.predicted,
    probability: row.probability,
    loss: row.loss,
    probabilities: Array.from(new Float32Array(Uint8Array.from(row.probabilities).buffer)),
    currentLabel: row.currentLabel,
  }));
  return { total, offset: params.offset, items };
}
