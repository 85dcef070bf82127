/** Shared look of the line charts: line specs, axis formats and the palette. */

/** How an axis writes its values. */
export type AxisKind = 'number' | 'percent' | 'scientific';

/** One y axis: its label, how it writes values, and an optional fixed range. */
export interface AxisFormat {
  label: string;
  kind: AxisKind;
  range?: [number, number];
}

/** One line of a chart. */
export interface ChartLine {
  label: string;
  color: string;
  /** 'y2' draws against the right axis. */
  scale?: 'y' | 'y2';
  dash?: number[];
  width?: number;
  points?: boolean;
}

/** Colours that read on the light and the dark theme (training, validation, a second run). */
export const PALETTE = { train: '#3b7bf0', validation: '#e8710a', accent: '#2e9e5b', other: '#9b59d0', faint: '#8fa3c7' } as const;

/** Axis values written for people: percentages without decimals, learning rates as 1e-3, numbers compact. */
export function axisValues(kind: AxisKind, values: readonly (number | null)[]): string[] {
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return '';
    if (kind === 'percent') return `${Math.round(v * 1000) / 10}%`;
    if (kind === 'scientific') return v === 0 ? '0' : v.toExponential(1).replace('e-', 'e−');
    const abs = Math.abs(v);
    return abs !== 0 && (abs < 0.01 || abs >= 1e5) ? v.toExponential(1) : String(Math.round(v * 1000) / 1000);
  });
}
