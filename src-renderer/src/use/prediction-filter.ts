import type { PredictedImage } from '../../../src-main/api/types/predict';

/** How the Use page narrows and orders the predictions. */
export interface PredictionFilter {
  /** Only images whose top class is this one; null for every class. */
  className: string | null;
  /** Top-class probability range, inclusive, 0–1. */
  min: number;
  max: number;
  order: 'input' | 'confident' | 'uncertain';
}

/** Every image, in the order given. */
export const ALL_PREDICTIONS: PredictionFilter = { className: null, min: 0, max: 1, order: 'input' };

/** The top class of an image and its probability (an image always has one). */
export function topOf(image: PredictedImage): { label: string; probability: number } {
  const top = image.top[0];
  return top ? { label: top.label, probability: top.probability } : { label: '', probability: 0 };
}

/** The predictions a filter keeps, in its order (most or least confident first: by top probability, then by margin). */
export function filterPredictions(results: readonly PredictedImage[], filter: PredictionFilter): PredictedImage[] {
  const kept = results.filter((image) => {
    const top = topOf(image);
    if (filter.className !== null && top.label !== filter.className) return false;
    return top.probability >= filter.min && top.probability <= filter.max;
  });
  if (filter.order === 'input') return kept;
  const sign = filter.order === 'confident' ? -1 : 1;
  return kept.sort((a, b) => sign * (topOf(a).probability - topOf(b).probability) || sign * (a.margin - b.margin));
}

/** How many images each class is the top class of, in the model's class order (classes no image got are listed with 0). */
export function topClassCounts(classes: readonly string[], results: readonly PredictedImage[]): { className: string; count: number }[] {
  const counts = new Map(classes.map((c) => [c, 0]));
  for (const image of results) {
    const label = topOf(image).label;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].map(([className, count]) => ({ className, count }));
}
