/** What a key press (or a menu, a button) asks the labelling view to do. */
export type LabelAction =
  | { kind: 'assign'; key: number }
  | { kind: 'assign-class'; classId: number }
  | { kind: 'unlabel' }
  | { kind: 'accept-suggestion' }
  | { kind: 'reject-suggestion' }
  | { kind: 'move'; dx: number; dy: number; extend: boolean; keep?: boolean }
  | { kind: 'toggle' }
  | { kind: 'home' | 'end'; extend: boolean }
  | { kind: 'page'; direction: 1 | -1; extend: boolean }
  | { kind: 'select-all' }
  | { kind: 'clear-selection' }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'open' }
  | { kind: 'close' }
  | { kind: 'pick-class' }
  | { kind: 'tile-menu' }
  | { kind: 'shortcuts' }
  | { kind: 'find' }
  | { kind: 'zoom'; factor: number }
  | { kind: 'zoom-fit' }
  | { kind: 'full-resolution' };

/** The parts of a KeyboardEvent the mapping reads. */
export interface KeyPress {
  key: string;
  shiftKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

/** Where a shortcut works: the grid, the large viewer, or both. */
export type ShortcutPlace = 'grid' | 'viewer' | 'both';

/** One row of the key table: what the overlay shows, and the matcher the handlers use. */
export interface Shortcut {
  /** The keys as the overlay writes them. */
  keys: readonly string[];
  description: string;
  group: 'Label' | 'Move and select' | 'Views and menus' | 'Large view';
  where: ShortcutPlace;
  match(press: NormalizedPress): LabelAction | null;
}

/** A key press with Ctrl and ⌘ folded into one flag and letters lower-cased. */
export interface NormalizedPress {
  key: string;
  mod: boolean;
  shift: boolean;
}

const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

const plain = (p: NormalizedPress) => !p.mod;

/**
 * Every labelling shortcut, in the order the overlay lists them and the handlers try them.
 * Label Studio-style: digits label with the class that holds that key, 0/Backspace/Delete
 * unlabel, arrows move (Shift extends), Ctrl/⌘ chords select and undo. The shortcut overlay
 * is generated from this table, so what it says is what the keys do.
 */
export const SHORTCUTS: readonly Shortcut[] = [
  {
    keys: ['1', '…', '9'],
    description: 'Label the selection with the class that has that key (set keys in the class list)',
    group: 'Label',
    where: 'both',
    match: (p) => (plain(p) && /^[1-9]$/.test(p.key) ? { kind: 'assign', key: Number(p.key) } : null),
  },
  {
    keys: ['C'],
    description: 'Pick any class by typing its name, then Enter to label the selection',
    group: 'Label',
    where: 'both',
    match: (p) => (plain(p) && p.key === 'c' ? { kind: 'pick-class' } : null),
  },
  {
    keys: ['0'],
    description: 'Remove the label',
    group: 'Label',
    where: 'grid',
    match: (p) => (plain(p) && p.key === '0' ? { kind: 'unlabel' } : null),
  },
  {
    keys: ['Backspace', 'Delete'],
    description: 'Remove the label',
    group: 'Label',
    where: 'both',
    match: (p) => (plain(p) && (p.key === 'Backspace' || p.key === 'Delete') ? { kind: 'unlabel' } : null),
  },
  {
    keys: ['A'],
    description: 'Accept the model’s suggestion: its class becomes the label (undoable)',
    group: 'Label',
    where: 'grid',
    match: (p) => (plain(p) && p.key === 'a' ? { kind: 'accept-suggestion' } : null),
  },
  {
    keys: ['X'],
    description: 'Reject the model’s suggestion',
    group: 'Label',
    where: 'grid',
    match: (p) => (plain(p) && p.key === 'x' ? { kind: 'reject-suggestion' } : null),
  },
  {
    keys: ['Ctrl+Z'],
    description: 'Undo',
    group: 'Label',
    where: 'both',
    match: (p) => (p.mod && !p.shift && p.key === 'z' ? { kind: 'undo' } : null),
  },
  {
    keys: ['Ctrl+Shift+Z', 'Ctrl+Y'],
    description: 'Redo',
    group: 'Label',
    where: 'both',
    match: (p) => (p.mod && ((p.shift && p.key === 'z') || p.key === 'y') ? { kind: 'redo' } : null),
  },
  {
    keys: ['←', '→', '↑', '↓'],
    description: 'Move (in the large view: previous and next image)',
    group: 'Move and select',
    where: 'both',
    match: (p) => {
      const arrow = ARROWS[p.key];
      return arrow && plain(p) ? { kind: 'move', dx: arrow[0], dy: arrow[1], extend: p.shift } : null;
    },
  },
  {
    keys: ['Shift+arrows', 'Shift+Home/End'],
    description: 'Extend the selection',
    group: 'Move and select',
    where: 'grid',
    // Shift+arrows are matched by the row above; this row documents them and handles Home/End.
    match: (p) => (plain(p) && (p.key === 'Home' || p.key === 'End') ? { kind: p.key === 'Home' ? 'home' : 'end', extend: p.shift } : null),
  },
  {
    keys: ['Page Up', 'Page Down'],
    description: 'Move half a screen',
    group: 'Move and select',
    where: 'grid',
    match: (p) => (plain(p) && (p.key === 'PageUp' || p.key === 'PageDown') ? { kind: 'page', direction: p.key === 'PageDown' ? 1 : -1, extend: p.shift } : null),
  },
  {
    keys: ['Ctrl+arrows'],
    description: 'Move without changing the selection',
    group: 'Move and select',
    where: 'grid',
    match: (p) => {
      const arrow = ARROWS[p.key];
      return arrow && p.mod ? { kind: 'move', dx: arrow[0], dy: arrow[1], extend: false, keep: true } : null;
    },
  },
  {
    keys: ['Ctrl+Space'],
    description: 'Add the focused image to the selection, or take it out',
    group: 'Move and select',
    where: 'grid',
    match: (p) => (p.mod && p.key === ' ' ? { kind: 'toggle' } : null),
  },
  {
    keys: ['Ctrl+A'],
    description: 'Select every image the filter shows',
    group: 'Move and select',
    where: 'grid',
    match: (p) => (p.mod && !p.shift && p.key === 'a' ? { kind: 'select-all' } : null),
  },
  {
    keys: ['Enter', 'Space'],
    description: 'Open the large view',
    group: 'Views and menus',
    where: 'grid',
    match: (p) => (plain(p) && (p.key === 'Enter' || p.key === ' ') ? { kind: 'open' } : null),
  },
  {
    keys: ['Esc'],
    description: 'Close the large view, or clear the selection',
    group: 'Views and menus',
    where: 'both',
    match: (p) => (p.key === 'Escape' ? { kind: 'close' } : null),
  },
  {
    keys: ['Menu', 'Shift+F10'],
    description: 'Open the menu of the focused image (also: right-click)',
    group: 'Views and menus',
    where: 'grid',
    match: (p) => (p.key === 'ContextMenu' || (p.shift && !p.mod && p.key === 'F10') ? { kind: 'tile-menu' } : null),
  },
  {
    keys: ['/'],
    description: 'Filter by file name',
    group: 'Views and menus',
    where: 'grid',
    match: (p) => (plain(p) && p.key === '/' ? { kind: 'find' } : null),
  },
  {
    keys: ['?'],
    description: 'Show these shortcuts',
    group: 'Views and menus',
    where: 'both',
    match: (p) => (!p.mod && p.key === '?' ? { kind: 'shortcuts' } : null),
  },
  {
    keys: ['+', '−', 'wheel'],
    description: 'Zoom in and out (drag to pan)',
    group: 'Large view',
    where: 'viewer',
    match: (p) => {
      if (p.mod) return null;
      if (p.key === '+' || p.key === '=') return { kind: 'zoom', factor: 1.25 };
      if (p.key === '-' || p.key === '_') return { kind: 'zoom', factor: 0.8 };
      return null;
    },
  },
  {
    keys: ['0'],
    description: 'Fit the image to the window',
    group: 'Large view',
    where: 'viewer',
    match: (p) => (plain(p) && p.key === '0' ? { kind: 'zoom-fit' } : null),
  },
  {
    keys: ['F'],
    description: 'Load the original at full resolution',
    group: 'Large view',
    where: 'viewer',
    match: (p) => (plain(p) && p.key === 'f' ? { kind: 'full-resolution' } : null),
  },
];

/** Folds a key press: Ctrl and ⌘ are one modifier, single letters compare lower-case. */
export function normalizePress(press: KeyPress): NormalizedPress {
  return {
    key: press.key.length === 1 ? press.key.toLowerCase() : press.key,
    mod: press.ctrlKey === true || press.metaKey === true,
    shift: press.shiftKey === true,
  };
}

/** Maps a key press to a labelling action in the grid or the large viewer; null when no shortcut matches (Alt chords never do). */
export function labelActionFor(press: KeyPress, place: 'grid' | 'viewer' = 'grid'): LabelAction | null {
  if (press.altKey) return null;
  const normalized = normalizePress(press);
  for (const shortcut of SHORTCUTS) {
    if (shortcut.where !== 'both' && shortcut.where !== place) continue;
    const action = shortcut.match(normalized);
    if (action) return action;
  }
  return null;
}
