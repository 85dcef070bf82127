import { describe, expect, it } from 'vitest';
import { emptyStateFor } from './empty-state';
import type { GridFilter } from './image-filter';

const all: GridFilter = { label: { kind: 'all' }, split: 'any', name: '' };

describe('emptyStateFor', () => {
  it('tells an empty project, an empty class, an empty split and a filter that matches nothing apart', () => {
    const texts = [
      emptyStateFor(all, 0, null),
      emptyStateFor({ ...all, label: { kind: 'class', classId: 3 } }, 40, 'heron'),
      emptyStateFor({ ...all, split: 'validation' }, 40, null),
      emptyStateFor({ ...all, name: 'IMG_9' }, 40, null),
      emptyStateFor({ ...all, label: { kind: 'unlabelled' } }, 40, null),
      emptyStateFor({ ...all, split: 'none' }, 40, null),
    ].map((s) => s.title);
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts[0]).toMatch(/no photos yet/);
    expect(texts[1]).toBe('No photos in “heron” yet.');
    expect(texts[2]).toBe('No photos in the validation split.');
    expect(texts[3]).toBe('No file name contains “IMG_9”.');
    expect(texts[4]).toBe('Every photo is labelled.');
  });

  it('says which filters combined; an empty project wins over any filter', () => {
    expect(emptyStateFor({ label: { kind: 'class', classId: 1 }, split: 'test', name: '' }, 9, 'cat').title).toBe('No photos in “cat” in the test split.');
    expect(emptyStateFor({ label: { kind: 'class', classId: 1 }, split: 'any', name: 'x' }, 9, 'cat').title).toBe('No file name contains “x” in “cat”.');
    expect(emptyStateFor({ ...all, name: 'x' }, 0, null)).toMatchObject({ canClearFilter: false, title: expect.stringMatching(/no photos yet/) as string });
    expect(emptyStateFor({ ...all, name: 'x' }, 5, null).canClearFilter).toBe(true);
  });
});
