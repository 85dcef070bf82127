/** Marks the root of a menu or dialog that owns the keyboard while it is open. */
export const KEYBOARD_LAYER_ATTRIBUTE = 'data-keyboard-layer';

const TEXT_INPUT_TYPES = new Set(['text', 'search', 'number', 'email', 'password', 'url', 'tel', 'color', 'date', 'time', 'datetime-local', 'month', 'week', '']);
const ACTIVATED_BY_KEYS = new Set(['BUTTON', 'A', 'SUMMARY']);

/** True for an element the user types into (a text field, a list box, an editable area). */
export function isTextEntry(element: Element | null): boolean {
  if (!element) return false;
  if (element instanceof HTMLInputElement) return TEXT_INPUT_TYPES.has(element.type);
  if (element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement) return true;
  return element instanceof HTMLElement && element.isContentEditable;
}

/**
 * True when a key press belongs to something other than the grid: an open menu or dialog
 * (it owns every key until it closes), a text field or list box that has focus, an input
 * method composing, a handler that already took the key, or Enter/Space on a focused button
 * or link (which presses it). The grid's hotkeys act only when this is false.
 */
export function keyOwnedElsewhere(event: Pick<KeyboardEvent, 'key' | 'target' | 'defaultPrevented' | 'isComposing'>, doc: Document = document): boolean {
  if (event.defaultPrevented || event.isComposing) return true;
  if (doc.querySelector(`[${KEYBOARD_LAYER_ATTRIBUTE}]`)) return true;
  const target = event.target instanceof Element ? event.target : null;
  if (isTextEntry(target) || isTextEntry(doc.activeElement)) return true;
  if (target?.closest(`[${KEYBOARD_LAYER_ATTRIBUTE}]`)) return true;
  if ((event.key === 'Enter' || event.key === ' ') && target) {
    if (ACTIVATED_BY_KEYS.has(target.tagName)) return true;
    if (target instanceof HTMLInputElement && (target.type === 'checkbox' || target.type === 'radio')) return true;
  }
  return false;
}
