import { describe, expect, it } from 'vitest';
import { gridGeometry, scrollToRow } from './grid-geometry';

describe('gridGeometry', () => {
  it('renders only the rows in view plus overscan, at any list length', () => {
    const g = gridGeometry({ total: 100_000, width: 1000, height: 600, scrollTop: 50_000, minCell: 160, overscan: 1 });
    expect(g.columns).toBe(6);
    expect(g.cellWidth).toBeCloseTo(166.67, 1);
    expect(g.rows).toBe(16_667);
    expect(g.last - g.first + 1).toBeLessThanOrEqual(6 * 7);
    expect(g.first).toBe((Math.floor(50_000 / g.cellHeight) - 1) * 6);
  });

  it('stops at the last item and handles empty lists', () => {
    const end = gridGeometry({ total: 10, width: 500, height: 2000, scrollTop: 0, minCell: 160 });
    expect([end.first, end.last]).toEqual([0, 9]);
    const empty = gridGeometry({ total: 0, width: 500, height: 500, scrollTop: 0, minCell: 160 });
    expect(empty.last).toBeLessThan(empty.first);
  });
});

describe('scrollToRow', () => {
  it('scrolls up or down just enough, or not at all', () => {
    expect(scrollToRow(0, 100, 250, 400)).toBe(0);
    expect(scrollToRow(9, 100, 0, 400)).toBe(600);
    expect(scrollToRow(2, 100, 0, 400)).toBeNull();
  });
});
