import { describe, expect, it } from 'vitest';
import { cellBackground, columnHeaders, confusionCells } from './confusion';

describe('confusion cells', () => {
  it('shares each cell of its true-class row and says what it holds', () => {
    const cells = confusionCells(
      [
        [6, 2],
        [0, 4],
      ],
      ['cat', 'dog'],
    );
    expect(cells[0]!.map((c) => c.share)).toEqual([0.75, 0.25]);
    expect(cells[0]![1]!.label).toBe('2 images of cat predicted as dog (25%)');
    expect(cells[1]![1]!.label).toBe('4 images of dog predicted correctly (100%)');
    expect(cells[1]![0]).toMatchObject({ count: 0, share: 0, correct: false });
  });

  it('handles a class with no images, and names columns by number past six classes', () => {
    expect(confusionCells([[0, 0], [1, 1]], ['a', 'b'])[0]![0]!.share).toBe(0);
    expect(columnHeaders(['a', 'b']).map((h) => h.short)).toEqual(['a', 'b']);
    expect(columnHeaders(['a', 'b', 'c', 'd', 'e', 'f', 'g']).map((h) => h.short)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
  });

  it('tints empty cells not at all, confusions in the error colour, hits in the ok colour', () => {
    expect(cellBackground({ count: 0, share: 0, correct: false })).toBe('transparent');
    expect(cellBackground({ count: 3, share: 1, correct: true })).toContain('var(--ok) 90%');
    expect(cellBackground({ count: 1, share: 0.5, correct: false })).toContain('var(--error) 51%');
  });
});
