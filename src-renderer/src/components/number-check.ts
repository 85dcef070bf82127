/** Reading a number field's text against a range, with the reason in words when it does not fit. */

/** The range a numeric field accepts (inclusive). */
export interface NumberBound {
  min: number;
  max: number;
  /** Whole numbers only. */
  integer?: boolean;
}

/** A field's text read as a number, or what is wrong with it in words. */
export type NumberCheck = { ok: true; value: number } | { ok: false; message: string };

/** Short form of a bound for messages: 1e-10 rather than 0.0000000001. */
function show(n: number): string {
  if (n !== 0 && (Math.abs(n) < 1e-3 || Math.abs(n) >= 1e6)) return n.toExponential().replace('e+', 'e');
  return n.toLocaleString('en-US', { maximumFractionDigits: 6 });
}

/** Reads a field's text against a bound: empty, not a number, fractional or out of range each say so. */
export function checkNumber(text: string | number, bound: NumberBound): NumberCheck {
  const raw = typeof text === 'number' ? String(text) : text.trim();
  if (raw === '') return { ok: false, message: 'Enter a value.' };
  const value = Number(raw);
  if (!Number.isFinite(value)) return { ok: false, message: 'Enter a number, e.g. 0.001 or 1e-3.' };
  if (bound.integer && !Number.isInteger(value)) return { ok: false, message: `Enter a whole number from ${show(bound.min)} to ${show(bound.max)}.` };
  if (value < bound.min || value > bound.max) {
    return { ok: false, message: `Enter ${bound.integer ? 'a whole number' : 'a number'} from ${show(bound.min)} to ${show(bound.max)}.` };
  }
  return { ok: true, value };
}
