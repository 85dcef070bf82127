import { afterEach, describe, expect, it } from 'vitest';
import { KEYBOARD_LAYER_ATTRIBUTE, keyOwnedElsewhere } from './key-guard';

afterEach(() => {
  document.body.innerHTML = '';
});

function press(key: string, target: Element = document.body): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true });
  Object.defineProperty(event, 'target', { value: target });
  return event;
}

describe('keyOwnedElsewhere', () => {
  it('leaves plain key presses on the page to the grid', () => {
    expect(keyOwnedElsewhere(press('2'))).toBe(false);
    expect(keyOwnedElsewhere(press('Enter'))).toBe(false);
  });

  it('keeps every key away from the grid while a text field has focus', () => {
    document.body.innerHTML = '<input type="text" id="t"><input type="search" id="s"><textarea id="a"></textarea><select id="l"></select>';
    for (const id of ['t', 's', 'a', 'l']) {
      const field = document.getElementById(id)!;
      for (const key of ['2', 'Enter', 'a', 'ArrowDown']) expect(keyOwnedElsewhere(press(key, field)), `${id} ${key}`).toBe(true);
    }
    // Focus in a field but the event aimed at the page (a key repeat after focus moved) is still the field's.
    (document.getElementById('t') as HTMLInputElement).focus();
    expect(keyOwnedElsewhere(press('2'))).toBe(true);
  });

  it('gives every key to an open menu or dialog, wherever focus is', () => {
    document.body.innerHTML = `<div ${KEYBOARD_LAYER_ATTRIBUTE} role="menu"><button id="b">Rename</button></div>`;
    expect(keyOwnedElsewhere(press('2'))).toBe(true);
    expect(keyOwnedElsewhere(press('a', document.getElementById('b')!))).toBe(true);
  });

  it('lets Enter and Space press a focused button, checkbox or link; digits still label', () => {
    document.body.innerHTML = '<button id="b">Undo</button><input type="checkbox" id="c"><a href="#" id="l">x</a>';
    for (const id of ['b', 'c', 'l']) {
      const element = document.getElementById(id)!;
      expect(keyOwnedElsewhere(press('Enter', element))).toBe(true);
      expect(keyOwnedElsewhere(press(' ', element))).toBe(true);
      expect(keyOwnedElsewhere(press('3', element))).toBe(false);
    }
  });

  it('respects a key another handler took, and a composing input method', () => {
    const taken = press('2');
    taken.preventDefault();
    expect(keyOwnedElsewhere(taken)).toBe(true);
    expect(keyOwnedElsewhere({ key: '2', target: document.body, defaultPrevented: false, isComposing: true })).toBe(true);
  });
});
