import { describe, expect, it } from 'vitest';
import { filterFromQuery, queryFor } from './image-filter';

describe('queryFor', () => {
  it('turns the grid filter into a library query', () => {
    expect(queryFor({ label: { kind: 'all' }, split: 'any', name: '' })).toEqual({});
    expect(queryFor({ label: { kind: 'unlabelled' }, split: 'none', name: ' IMG_ ' })).toEqual({ unlabelled: true, split: 'none', nameContains: 'IMG_' });
    expect(queryFor({ label: { kind: 'class', classId: 3 }, split: 'test', name: '' })).toEqual({ classId: 3, split: 'test' });
  });
});

describe('filterFromQuery', () => {
  it('reads the filters that links from other views ask for', () => {
    expect(filterFromQuery({ class: '3' })).toEqual({ label: { kind: 'class', classId: 3 }, split: 'any', name: '' });
    expect(filterFromQuery({ filter: 'unlabelled' })).toEqual({ label: { kind: 'unlabelled' }, split: 'any', name: '' });
    expect(filterFromQuery({ class: ['7'], split: 'none' })).toEqual({ label: { kind: 'class', classId: 7 }, split: 'none', name: '' });
    expect(filterFromQuery({ split: 'validation' })).toEqual({ label: { kind: 'all' }, split: 'validation', name: '' });
  });

  it('ignores what it does not understand', () => {
    expect(filterFromQuery({})).toBeNull();
    expect(filterFromQuery({ class: 'cats', split: 'holdout' })).toBeNull();
    expect(filterFromQuery({ class: '0' })).toBeNull();
  });
});
