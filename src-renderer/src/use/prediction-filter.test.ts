import { describe, expect, it } from 'vitest';
import type { PredictedImage } from '../../../src-main/api/types/predict';
import { ALL_PREDICTIONS, filterPredictions, topClassCounts } from './prediction-filter';

const CLASSES = ['cat', 'dog'];

function image(path: string, cat: number): PredictedImage {
  const probabilities = [cat, 1 - cat];
  const top = probabilities.map((probability, classIndex) => ({ classIndex, label: CLASSES[classIndex]!, probability })).sort((a, b) => b.probability - a.probability);
  return { path, top, probabilities, margin: Math.abs(2 * cat - 1), entropy: 0 };
}

const results = [image('/a.jpg', 0.9), image('/b.jpg', 0.3), image('/c.jpg', 0.55), image('/d.jpg', 0.02)];
const paths = (xs: PredictedImage[]) => xs.map((x) => x.path);

describe('filterPredictions', () => {
  it('keeps every image in the order given by default', () => {
    expect(paths(filterPredictions(results, ALL_PREDICTIONS))).toEqual(['/a.jpg', '/b.jpg', '/c.jpg', '/d.jpg']);
  });

  it('narrows by top class and by the top probability range, bounds included', () => {
    expect(paths(filterPredictions(results, { ...ALL_PREDICTIONS, className: 'dog' }))).toEqual(['/b.jpg', '/d.jpg']);
    expect(paths(filterPredictions(results, { ...ALL_PREDICTIONS, min: 0.55, max: 0.9 }))).toEqual(['/a.jpg', '/b.jpg', '/c.jpg']);
    expect(paths(filterPredictions(results, { ...ALL_PREDICTIONS, className: 'dog', max: 0.8 }))).toEqual(['/b.jpg']);
  });

  it('orders most or least confident first without touching the input', () => {
    expect(paths(filterPredictions(results, { ...ALL_PREDICTIONS, order: 'confident' }))).toEqual(['/d.jpg', '/a.jpg', '/b.jpg', '/c.jpg']);
    expect(paths(filterPredictions(results, { ...ALL_PREDICTIONS, order: 'uncertain' }))).toEqual(['/c.jpg', '/b.jpg', '/a.jpg', '/d.jpg']);
    expect(paths(results)).toEqual(['/a.jpg', '/b.jpg', '/c.jpg', '/d.jpg']);
  });
});

describe('topClassCounts', () => {
  it('counts each class as top class, in class order, with zeros', () => {
    expect(topClassCounts(['cat', 'dog', 'owl'], results)).toEqual([
      { className: 'cat', count: 2 },
      { className: 'dog', count: 2 },
      { className: 'owl', count: 0 },
    ]);
  });
});
