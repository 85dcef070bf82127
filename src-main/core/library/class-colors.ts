/** Distinct, readable colours handed to new classes in turn (Tableau 10 and two more). */
export const CLASS_PALETTE: readonly string[] = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#17becf',
  '#8c564b',
];

/** The palette colour for the n-th class. */
export function paletteColor(index: number): string {
  return CLASS_PALETTE[((index % CLASS_PALETTE.length) + CLASS_PALETTE.length) % CLASS_PALETTE.length]!;
}

/** True for a `#rrggbb` colour. */
export function isHexColor(value: unknown): value is string {
  return typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value);
}

/** Hue step between generated colours (the golden angle), so each new hue lands far from the ones before. */
const GOLDEN_ANGLE = 137.508;

/** How many colours past the palette are generated before colours start to repeat. */
const GENERATED_COLOURS = 360;

/** The k-th generated colour past the palette: medium saturation and lightness, readable under white text. */
export function generatedColor(k: number): string {
  const hue = (20 + k * GOLDEN_ANGLE) % 360;
  const lightness = [0.45, 0.55, 0.38][k % 3]!;
  return hslToHex(hue, 0.55, lightness);
}

/**
 * The colour for a new class: the first palette colour no class uses, then generated colours
 * no class uses; only when all of those are taken, the palette colour used least often.
 */
export function pickClassColor(used: Iterable<string>): string {
  const taken = new Map<string, number>();
  for (const color of used) {
    const key = color.toLowerCase();
    taken.set(key, (taken.get(key) ?? 0) + 1);
  }
  const free = CLASS_PALETTE.find((color) => !taken.has(color));
  if (free) return free;
  for (let k = 0; k < GENERATED_COLOURS; k++) {
    const color = generatedColor(k);
    if (!taken.has(color)) return color;
  }
  let best = CLASS_PALETTE[0]!;
  for (const color of CLASS_PALETTE) if ((taken.get(color) ?? 0) < (taken.get(best) ?? 0)) best = color;
  return best;
}

function hslToHex(hue: number, saturation: number, lightness: number): string {
  const a = saturation * Math.min(lightness, 1 - lightness);
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12;
    const value = lightness - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(value * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}
