/**
 * What trained models say about the library's images, as SQL the grid query joins: the
 * uncertainty of stored suggestions (for "most useful to label next") and the labelled images
 * a model strongly disagrees with (likely label errors).
 */

/**
 * A label is a likely error when the model's probability for it is at most this (and the model
 * predicts another class): loss −ln 0.2 ≈ 1.61, the model is at least 4:1 against the label.
 */
export const LIKELY_ERROR_MAX_LABEL_PROBABILITY = 0.2;

/** The loss at and above which a label counts as a likely error. */
export const LIKELY_ERROR_MIN_LOSS = -Math.log(LIKELY_ERROR_MAX_LABEL_PROBABILITY);

/**
 * Each labelled image's latest model opinion about its current label, from the latest
 * evaluation that predicted it (when its label is still the class the run trained it as: the
 * project class its run class is now, see `training_run_classes`, so a rename keeps it) or
 * from a suggestion scored against its current label, whichever is newer; kept when the model
 * predicts another class and its loss reaches `@minLoss`. Columns: image_id, loss
 * (−log p(label)), predicted (the class name the model prefers, as the project names it now).
 */
export const LIKELY_ERRORS_SQL = `
  WITH run_classes AS MATERIALIZED (SELECT run_id, idx, class_id, COALESCE(name, run_name) AS name FROM training_run_classes)
  SELECT image_id, loss,
         COALESCE(predicted, (SELECT rc.name FROM run_classes rc WHERE rc.run_id = run AND rc.idx = predicted_index)) AS predicted
  FROM (
    SELECT image_id, loss, predicted, run, predicted_index, disagrees,
           ROW_NUMBER() OVER (PARTITION BY image_id ORDER BY at DESC, kind DESC, ord DESC) AS n
    FROM (
      SELECT p.image_id, p.loss, NULL AS predicted, e.run_id AS run, p.predicted AS predicted_index,
             p.predicted <> ri.label AS disagrees, e.created_at AS at, 0 AS kind, p.evaluation_id AS ord
      FROM training_run_predictions p
      JOIN training_run_evaluations e ON e.id = p.evaluation_id
      JOIN training_run_images ri ON ri.run_id = e.run_id AND ri.image_id = p.image_id
      JOIN labels lb ON lb.image_id = p.image_id
      JOIN run_classes lc ON lc.run_id = e.run_id AND lc.idx = ri.label
      WHERE lc.class_id = lb.class_id
      UNION ALL
      SELECT sg.image_id, sg.label_loss, sg.class_name, NULL, NULL, sg.class_name <> cl.name, sg.created_at, 1, 0
      FROM suggestions sg
      JOIN labels lb ON lb.image_id = sg.image_id
      JOIN classes cl ON cl.id = lb.class_id
      WHERE sg.label_class_id = lb.class_id AND sg.label_loss IS NOT NULL
    )
  ) WHERE n = 1 AND disagrees AND loss >= @minLoss`;

/** How the grid query reaches a model-based order: a join, its sort key and the class the model names. */
export interface ModelOrder {
  join: string;
  /** Ascending sort expression over the join (ties broken by image id by the caller). */
  key: string;
  descending: boolean;
  /** The class name the model suggests or predicts, for the grid tile. */
  className: string;
  params: Record<string, number>;
}

/** Unlabelled images with a suggestion, least certain first: smallest margin, or highest entropy. */
export function uncertaintyOrder(measure: 'margin' | 'entropy'): ModelOrder {
  return {
    join: 'JOIN suggestions mo ON mo.image_id = i.id',
    key: measure === 'margin' ? 'mo.margin' : 'mo.entropy',
    descending: measure === 'entropy',
    className: 'mo.class_name',
    params: {},
  };
}

/** Labelled images a model strongly disagrees with, highest loss first. */
export function likelyErrorsOrder(): ModelOrder {
  return { join: `JOIN (${LIKELY_ERRORS_SQL}) mo ON mo.image_id = i.id`, key: 'mo.loss', descending: true, className: 'mo.predicted', params: { minLoss: LIKELY_ERROR_MIN_LOSS } };
}
