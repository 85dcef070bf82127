import { describe, expect, it } from 'vitest';
import { labelActionFor, SHORTCUTS } from './label-keys';

describe('labelActionFor', () => {
  it('maps digits to class keys and 0/Backspace/Delete to unlabel', () => {
    expect(labelActionFor({ key: '1' })).toEqual({ kind: 'assign', key: 1 });
    expect(labelActionFor({ key: '9' })).toEqual({ kind: 'assign', key: 9 });
    for (const key of ['0', 'Backspace', 'Delete']) expect(labelActionFor({ key })).toEqual({ kind: 'unlabel' });
  });

  it('maps arrows to moves, extending with Shift', () => {
    expect(labelActionFor({ key: 'ArrowDown' })).toEqual({ kind: 'move', dx: 0, dy: 1, extend: false });
    expect(labelActionFor({ key: 'ArrowLeft', shiftKey: true })).toEqual({ kind: 'move', dx: -1, dy: 0, extend: true });
    expect(labelActionFor({ key: 'End', shiftKey: true })).toEqual({ kind: 'end', extend: true });
    expect(labelActionFor({ key: 'PageDown' })).toEqual({ kind: 'page', direction: 1, extend: false });
  });

  it('maps Ctrl/⌘ shortcuts: undo, redo, select all', () => {
    expect(labelActionFor({ key: 'z', ctrlKey: true })).toEqual({ kind: 'undo' });
    expect(labelActionFor({ key: 'Z', ctrlKey: true, shiftKey: true })).toEqual({ kind: 'redo' });
    expect(labelActionFor({ key: 'y', metaKey: true })).toEqual({ kind: 'redo' });
    expect(labelActionFor({ key: 'a', ctrlKey: true })).toEqual({ kind: 'select-all' });
    expect(labelActionFor({ key: '1', ctrlKey: true })).toBeNull();
    expect(labelActionFor({ key: 'c', ctrlKey: true })).toBeNull();
    expect(labelActionFor({ key: 'ArrowRight', ctrlKey: true })).toEqual({ kind: 'move', dx: 1, dy: 0, extend: false, keep: true });
    expect(labelActionFor({ key: ' ', ctrlKey: true })).toEqual({ kind: 'toggle' });
  });

  it('opens the class picker, the tile menu, the file-name filter and the shortcut list', () => {
    expect(labelActionFor({ key: 'c' })).toEqual({ kind: 'pick-class' });
    expect(labelActionFor({ key: 'C', shiftKey: true })).toEqual({ kind: 'pick-class' });
    expect(labelActionFor({ key: '?', shiftKey: true })).toEqual({ kind: 'shortcuts' });
    expect(labelActionFor({ key: '/' })).toEqual({ kind: 'find' });
    expect(labelActionFor({ key: 'ContextMenu' })).toEqual({ kind: 'tile-menu' });
    expect(labelActionFor({ key: 'F10', shiftKey: true })).toEqual({ kind: 'tile-menu' });
  });

  it('in the large view: 0 fits the image, + and − zoom, F loads the original; Backspace still unlabels', () => {
    expect(labelActionFor({ key: '0' }, 'viewer')).toEqual({ kind: 'zoom-fit' });
    expect(labelActionFor({ key: '+', shiftKey: true }, 'viewer')).toEqual({ kind: 'zoom', factor: 1.25 });
    expect(labelActionFor({ key: '-' }, 'viewer')).toEqual({ kind: 'zoom', factor: 0.8 });
    expect(labelActionFor({ key: 'f' }, 'viewer')).toEqual({ kind: 'full-resolution' });
    expect(labelActionFor({ key: 'Backspace' }, 'viewer')).toEqual({ kind: 'unlabel' });
    expect(labelActionFor({ key: '3' }, 'viewer')).toEqual({ kind: 'assign', key: 3 });
    // Grid-only keys do nothing in the viewer, viewer-only keys nothing in the grid.
    expect(labelActionFor({ key: 'a', ctrlKey: true }, 'viewer')).toBeNull();
    expect(labelActionFor({ key: 'f' }, 'grid')).toBeNull();
    expect(labelActionFor({ key: '+' }, 'grid')).toBeNull();
  });

  it('ignores Alt chords and unrelated keys', () => {
    expect(labelActionFor({ key: '1', altKey: true })).toBeNull();
    expect(labelActionFor({ key: 'q' })).toBeNull();
  });

  it('documents every key it acts on: each table row matches the first key it shows', () => {
    const spelled: Record<string, { key: string; shiftKey?: boolean; ctrlKey?: boolean }> = {
      '←': { key: 'ArrowLeft' },
      'Shift+arrows': { key: 'ArrowUp', shiftKey: true },
      'Page Up': { key: 'PageUp' },
      'Ctrl+arrows': { key: 'ArrowDown', ctrlKey: true },
      'Ctrl+Space': { key: ' ', ctrlKey: true },
      'Ctrl+A': { key: 'a', ctrlKey: true },
      'Ctrl+Z': { key: 'z', ctrlKey: true },
      'Ctrl+Shift+Z': { key: 'z', ctrlKey: true, shiftKey: true },
      Esc: { key: 'Escape' },
      Menu: { key: 'ContextMenu' },
      '?': { key: '?', shiftKey: true },
      C: { key: 'c' },
      F: { key: 'f' },
    };
    for (const shortcut of SHORTCUTS) {
      const press = spelled[shortcut.keys[0]!] ?? { key: shortcut.keys[0]! };
      const place = shortcut.where === 'viewer' ? 'viewer' : 'grid';
      expect(labelActionFor(press, place), shortcut.description).not.toBeNull();
    }
  });
});
