import { describe, expect, it } from 'vitest';
import type { DatasetSnapshot, RunImage } from '../../api/types/runs';
import { datasetProblems } from './dataset-snapshot';

const image = (label: number, split: RunImage['split'], id: number): RunImage => ({ imageId: id, contentHash: String(id).padStart(16, '0'), path: `/p/${id}.jpg`, label, split });
const snapshot = (classes: string[], images: RunImage[]): DatasetSnapshot => ({ classes, images });

describe('datasetProblems', () => {
  it('accepts two classes with training images and a validation split', () => {
    expect(datasetProblems(snapshot(['a', 'b'], [image(0, 'train', 1), image(1, 'train', 2), image(0, 'validation', 3)]), 0)).toEqual([]);
  });

  it('asks for splits when no labelled image has one', () => {
    expect(datasetProblems(snapshot([], []), 12).map((p) => p.code)).toEqual(['no-splits']);
  });

  it('refuses a single class, a class without training images, and an empty validation split, each with what to do', () => {
    const one = datasetProblems(snapshot(['a'], [image(0, 'train', 1), image(0, 'validation', 2)]), 0);
    expect(one.map((p) => p.code)).toEqual(['too-few-classes']);
    expect(one[0]!.message).toContain('Label more photos');
    const missing = datasetProblems(snapshot(['a', 'b', 'c'], [image(0, 'train', 1), image(1, 'train', 2), image(2, 'test', 3), image(0, 'validation', 4)]), 0);
    expect(missing).toEqual([{ code: 'class-without-training-images', classes: ['c'], message: expect.stringContaining('"c" has no training image') }]);
    const noValidation = datasetProblems(snapshot(['a', 'b'], [image(0, 'train', 1), image(1, 'train', 2)]), 0);
    expect(noValidation.map((p) => p.code)).toEqual(['empty-validation']);
  });
});
