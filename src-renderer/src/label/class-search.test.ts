import { describe, expect, it } from 'vitest';
import type { ClassInfo } from '../../../src-main/api/types/library';
import { classForKey, pickerRows } from './class-search';

const cls = (id: number, name: string, hotkey: number | null): ClassInfo => ({ id, name, color: '#336699', sortOrder: id, hotkey, imageCount: 0 });
const classes = [cls(1, 'cat', 1), cls(2, 'wildcat', 2), cls(3, 'dog', null), cls(4, 'Catfish', 9)];
const names = (typed: string) => pickerRows(classes, typed).map((r) => (r.kind === 'class' ? r.cls.name : `+${r.name}`));

describe('pickerRows', () => {
  it('lists every class when nothing is typed', () => {
    expect(names('')).toEqual(['cat', 'wildcat', 'dog', 'Catfish']);
  });

  it('puts names that start with the text before names that contain it, ignoring case', () => {
    expect(names('CAT')).toEqual(['cat', 'Catfish', 'wildcat']);
    expect(names('fish')).toEqual(['Catfish', '+fish']);
  });

  it('offers to create a class only for a new name', () => {
    expect(names('  heron ')).toEqual(['+heron']);
    expect(names('Dog')).toEqual(['dog']);
  });
});

describe('classForKey', () => {
  it('finds the class holding a key, not the n-th class', () => {
    expect(classForKey(classes, 9)?.name).toBe('Catfish');
    expect(classForKey(classes, 3)).toBeNull();
  });
});
