import { describe, expect, it } from 'vitest';
import { labelActionFor } from './label-keys';

describe('labelActionFor', () => {
  it('maps digits to classes and 0/Backspace/Delete to unlabel', () => {
    expect(labelActionFor({ key: '1' })).toEqual({ kind: 'assign', classIndex: 0 });
    expect(labelActionFor({ key: '9' })).toEqual({ kind: 'assign', classIndex: 8 });
    for (const key of ['0', 'Backspace', 'Delete']) expect(labelActionFor({ key })).toEqual({ kind: 'unlabel' });
  });

  it('maps arrows to moves, extending with Shift', () => {
    expect(labelActionFor({ key: 'ArrowDown' })).toEqual({ kind: 'move', dx: 0, dy: 1, extend: false });
    expect(labelActionFor({ key: 'ArrowLeft', shiftKey: true })).toEqual({ kind: 'move', dx: -1, dy: 0, extend: true });
    expect(labelActionFor({ key: 'End', shiftKey: true })).toEqual({ kind: 'end', extend: true });
  });

  it('maps Ctrl/⌘ shortcuts: undo, redo, select all', () => {
    expect(labelActionFor({ key: 'z', ctrlKey: true })).toEqual({ kind: 'undo' });
    expect(labelActionFor({ key: 'Z', ctrlKey: true, shiftKey: true })).toEqual({ kind: 'redo' });
    expect(labelActionFor({ key: 'y', metaKey: true })).toEqual({ kind: 'redo' });
    expect(labelActionFor({ key: 'a', ctrlKey: true })).toEqual({ kind: 'select-all' });
    expect(labelActionFor({ key: '1', ctrlKey: true })).toBeNull();
    expect(labelActionFor({ key: 'ArrowRight', ctrlKey: true })).toEqual({ kind: 'move', dx: 1, dy: 0, extend: false, keep: true });
    expect(labelActionFor({ key: ' ', ctrlKey: true })).toEqual({ kind: 'toggle' });
  });

  it('ignores Alt chords and unrelated keys', () => {
    expect(labelActionFor({ key: '1', altKey: true })).toBeNull();
    expect(labelActionFor({ key: 'q' })).toBeNull();
  });
});
