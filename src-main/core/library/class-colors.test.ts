import { describe, expect, it } from 'vitest';
import { CLASS_PALETTE, generatedColor, isHexColor, pickClassColor } from './class-colors';

describe('pickClassColor', () => {
  it('takes the first palette colour no class uses, whatever the class count', () => {
    expect(pickClassColor([])).toBe(CLASS_PALETTE[0]);
    // Three classes, one deleted from the middle: the fourth must not repeat the third's colour.
    expect(pickClassColor([CLASS_PALETTE[0]!, CLASS_PALETTE[2]!])).toBe(CLASS_PALETTE[1]);
    expect(pickClassColor([CLASS_PALETTE[0]!.toUpperCase()])).toBe(CLASS_PALETTE[1]);
  });

  it('never repeats a colour in use while unused ones remain, far past the palette', () => {
    const used: string[] = [];
    for (let i = 0; i < 200; i++) {
      const next = pickClassColor(used);
      expect(isHexColor(next)).toBe(true);
      expect(used).not.toContain(next);
      used.push(next);
    }
    expect(used.slice(0, CLASS_PALETTE.length)).toEqual(CLASS_PALETTE);
  });

  it('generates distinct colours', () => {
    const colours = Array.from({ length: 360 }, (_, k) => generatedColor(k));
    expect(new Set(colours).size).toBe(360);
    expect(colours.every((c) => !CLASS_PALETTE.includes(c))).toBe(true);
  });

  it('falls back to the least used palette colour when every colour is taken', () => {
    const everything = [...CLASS_PALETTE, ...CLASS_PALETTE, ...Array.from({ length: 360 }, (_, k) => generatedColor(k))];
    everything.splice(everything.indexOf(CLASS_PALETTE[4]!), 1);
    expect(pickClassColor(everything)).toBe(CLASS_PALETTE[4]);
  });
});
