import { describe, expect, it } from 'vitest';
import { checkClassName, MAX_CLASS_NAME_LENGTH, tidyClassName } from './classes';
import { classFromFolders } from './folder-classes';

describe('classFromFolders', () => {
  it('takes the photo\'s own folder, or the folder at the chosen depth', () => {
    expect(classFromFolders(['cats', 'indoor'], undefined)).toBe('indoor');
    expect(classFromFolders(['cats', 'indoor'], 1)).toBe('cats');
    expect(classFromFolders(['cats'], 2)).toBeNull();
    expect(classFromFolders([], undefined)).toBeNull();
  });

  it('tidies folder names into names checkClassName accepts unchanged', () => {
    const emoji = '\u{1F436}';
    const cases: [string, string | null][] = [
      ['  dogs  ', 'dogs'],
      ['tab\there\u007f', 'tabhere'],
      ['\u0001\n ', null],
      ['y'.repeat(MAX_CLASS_NAME_LENGTH + 50), 'y'.repeat(MAX_CLASS_NAME_LENGTH)],
      // Cut at the limit without splitting the two halves of an emoji, and trimmed after the cut.
      ['z'.repeat(MAX_CLASS_NAME_LENGTH - 1) + emoji, 'z'.repeat(MAX_CLASS_NAME_LENGTH - 1)],
      ['w'.repeat(MAX_CLASS_NAME_LENGTH - 1) + ' tail', 'w'.repeat(MAX_CLASS_NAME_LENGTH - 1)],
    ];
    for (const [folder, expected] of cases) {
      expect(classFromFolders([folder], undefined), JSON.stringify(folder)).toBe(expected);
      if (expected !== null) expect(checkClassName(expected)).toBe(expected);
    }
    expect(tidyClassName(`a${emoji}b`)).toBe(`a${emoji}b`);
  });
});
