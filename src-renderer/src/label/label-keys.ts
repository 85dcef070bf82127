/** What a key press asks the labelling view to do. */
export type LabelAction =
  | { kind: 'assign'; classIndex: number }
  | { kind: 'unlabel' }
  | { kind: 'move'; dx: number; dy: number; extend: boolean; keep?: boolean }
  | { kind: 'toggle' }
  | { kind: 'home' | 'end'; extend: boolean }
  | { kind: 'page'; direction: 1 | -1; extend: boolean }
  | { kind: 'select-all' }
  | { kind: 'clear-selection' }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'open' }
  | { kind: 'close' };

/** The parts of a KeyboardEvent the mapping reads. */
export interface KeyPress {
  key: string;
  shiftKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

/**
 * Maps a key press to a labelling action (Label Studio-style hotkeys): 1–9 assign the
 * n-th class, 0/Backspace/Delete unlabel, arrows move (Shift extends), Ctrl+A selects all
 * in the filter, Ctrl+arrows move without changing the selection and Ctrl+Space toggles the
 * focused image, Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y) undo and redo, Enter/Space open the
 * large view, Escape closes it or clears the selection. Ctrl and ⌘ are the same.
 */
export function labelActionFor(press: KeyPress): LabelAction | null {
  const mod = press.ctrlKey === true || press.metaKey === true;
  const shift = press.shiftKey === true;
  if (press.altKey) return null;
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  if (mod) {
    // Ctrl+arrows move the focus and keep the selection; Ctrl+Space adds or removes the focused image.
    const arrow = ARROWS[key];
    if (arrow) return { kind: 'move', dx: arrow[0], dy: arrow[1], extend: false, keep: true };
    if (key === ' ') return { kind: 'toggle' };
    if (key === 'z') return shift ? { kind: 'redo' } : { kind: 'undo' };
    if (key === 'y') return { kind: 'redo' };
    if (key === 'a') return { kind: 'select-all' };
    return null;
  }
  if (/^[1-9]$/.test(key)) return { kind: 'assign', classIndex: Number(key) - 1 };
  if (key === '0' || key === 'Backspace' || key === 'Delete') return { kind: 'unlabel' };
  const arrow = ARROWS[key];
  if (arrow) return { kind: 'move', dx: arrow[0], dy: arrow[1], extend: shift };
  if (key === 'Home') return { kind: 'home', extend: shift };
  if (key === 'End') return { kind: 'end', extend: shift };
  if (key === 'PageDown') return { kind: 'page', direction: 1, extend: shift };
  if (key === 'PageUp') return { kind: 'page', direction: -1, extend: shift };
  if (key === 'Enter' || key === ' ') return { kind: 'open' };
  if (key === 'Escape') return { kind: 'close' };
  return null;
}
