import { GraftError } from '../../api/errors';
import type { ImagenetPrediction } from '../../api/types/models';
import { imagenetClasses, type ImagenetClass } from './imagenet-classes';

/**
 * Keras `decode_predictions`: for each row of 1000 ImageNet scores, the `top` classes by score,
 * highest first; equal scores keep the lower class index first, and NaN ranks last. `classes`
 * defaults to the bundled list (read on first use).
 */
export function decodePredictions(
  rows: readonly ArrayLike<number>[],
  top = 5,
  classes: readonly ImagenetClass[] = imagenetClasses(),
): ImagenetPrediction[][] {
  return rows.map((row, r) => {
    if (row.length !== 1000) {
      throw new GraftError(
        'bad-request',
        `decodePredictions expects ImageNet scores (1000 per row); row ${r} has ${row.length}. Use a model built with the ImageNet top and 1000 classes.`,
      );
    }
    const score = (i: number): number => {
      const value = row[i]!;
      return Number.isNaN(value) ? -Infinity : value;
    };
    const order = Array.from({ length: row.length }, (_, i) => i);
    order.sort((a, b) => score(b) - score(a) || a - b);
    return order.slice(0, top).map((i) => {
      const cls = classes[i]!;
      return { classId: cls.id, label: cls.label, probability: row[i]! };
    });
  });
}
