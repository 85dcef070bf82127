import { describe, expect, it } from 'vitest';
import { countOf, plural } from './plural';

describe('plural', () => {
  it('uses the singular for one and the plural for everything else', () => {
    expect(countOf(1, 'image')).toBe('1 image');
    expect(countOf(0, 'image')).toBe('0 images');
    expect(countOf(2, 'image')).toBe('2 images');
    expect(countOf(1, 'class')).toBe('1 class');
    expect(countOf(3, 'class')).toBe('3 classes');
    expect(plural(2, 'copy')).toBe('copies');
    expect(plural(2, 'photo', 'photographs')).toBe('photographs');
    expect(countOf(12345, 'image')).toBe(`${(12345).toLocaleString()} images`);
  });
});
