import { describe, expect, it } from 'vitest';
import { GridSelection } from './grid-selection';

// Position i holds image id 100 + i.
const ids = async (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => 100 + from + k);

describe('GridSelection', () => {
  it('plain click selects one, ctrl-click toggles, shift-click selects the range from the anchor', async () => {
    const s = new GridSelection(ids);
    await s.click(2, 102);
    expect([...s.selected]).toEqual([102]);
    await s.click(5, 105, { ctrl: true });
    expect([...s.selected].sort()).toEqual([102, 105]);
    await s.click(5, 105, { ctrl: true });
    expect([...s.selected]).toEqual([102]);
    await s.click(2, 102);
    await s.click(6, 106, { shift: true });
    expect([...s.selected]).toEqual([102, 103, 104, 105, 106]);
    await s.click(0, 100, { shift: true });
    expect([...s.selected]).toEqual([100, 101, 102]);
    expect(s.focus).toBe(0);
    expect(s.anchor).toBe(2);
  });

  it('ctrl+shift-click adds a range to the selection', async () => {
    const s = new GridSelection(ids);
    await s.click(10, 110);
    await s.click(1, 101, { ctrl: true });
    await s.click(3, 103, { ctrl: true, shift: true });
    expect([...s.selected].sort()).toEqual([101, 102, 103, 110]);
  });

  it('arrow moves select the focused image; shift extends from the anchor', async () => {
    const s = new GridSelection(ids);
    await s.moveTo(4, 104);
    await s.moveTo(5, 105, { shift: true });
    await s.moveTo(8, 108, { shift: true });
    expect([...s.selected]).toEqual([104, 105, 106, 107, 108]);
    await s.moveTo(9, 109);
    expect([...s.selected]).toEqual([109]);
  });

  it('ctrl-moves keep the selection and ctrl+space toggles the focused image', async () => {
    const s = new GridSelection(ids);
    await s.moveTo(1, 101);
    await s.moveTo(3, 103, { ctrl: true });
    s.toggle(103);
    expect([...s.selected]).toEqual([101, 103]);
    s.toggle(103);
    expect([...s.selected]).toEqual([101]);
  });

  it('select-all takes every id in the filter; targets fall back to the focused image', async () => {
    const s = new GridSelection(ids);
    await s.selectAll(4);
    expect(s.targets(null)).toEqual([100, 101, 102, 103]);
    s.clear();
    expect(s.targets(107)).toEqual([107]);
    expect(s.targets(null)).toEqual([]);
  });

  it('clamps focus and anchor when the filtered list shrinks', async () => {
    const s = new GridSelection(ids);
    await s.moveTo(9, 109);
    s.clampTo(3);
    expect([s.focus, s.anchor]).toEqual([2, 2]);
  });
});
