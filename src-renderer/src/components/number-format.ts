/** Number formats the training screens share: parameter counts, learning rates, sizes. */

/** A parameter count in full with digit grouping (2,257,984), as Keras's summary prints it. */
export function formatParams(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A parameter count in short form: 2.26 M, 14.7 M, 138 M, 12.3 k, 640. */
export function formatParamsShort(n: number): string {
  const abs = Math.abs(n);
  const short = (value: number, unit: string) => `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : Math.round(value)} ${unit}`;
  if (abs >= 1e9) return short(n / 1e9, 'G');
  if (abs >= 1e6) return short(n / 1e6, 'M');
  if (abs >= 1e4) return short(n / 1e3, 'k');
  return formatParams(n);
}

/** A learning rate as people write them: 3.2e-3, 1e-4, 0.1 (two significant digits, exponent below 0.01). */
export function formatLr(lr: number): string {
  if (!Number.isFinite(lr) || lr <= 0) return String(lr);
  if (lr >= 0.01 && lr < 1000) return String(Number(lr.toPrecision(2)));
  const [mantissa, exponent] = lr.toExponential(1).split('e') as [string, string];
  const m = mantissa.replace(/\.0$/, '');
  return `${m}e${Number(exponent)}`;
}

/** A learning rate rounded to two significant digits (what "Use 3.2e-3" puts in the field). */
export function roundLr(lr: number): number {
  return Number(lr.toPrecision(2));
}

/** Bytes in MB or GB with one decimal. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`;
  return `${bytes} B`;
}
