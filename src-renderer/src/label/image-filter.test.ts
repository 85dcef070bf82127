import { describe, expect, it } from 'vitest';
import { queryFor } from './image-filter';

describe('queryFor', () => {
  it('turns the grid filter into a library query', () => {
    expect(queryFor({ label: { kind: 'all' }, split: 'any', name: '' })).toEqual({});
    expect(queryFor({ label: { kind: 'unlabelled' }, split: 'none', name: ' IMG_ ' })).toEqual({ unlabelled: true, split: 'none', nameContains: 'IMG_' });
    expect(queryFor({ label: { kind: 'class', classId: 3 }, split: 'test', name: '' })).toEqual({ classId: 3, split: 'test' });
  });
});
