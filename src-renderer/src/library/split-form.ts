import type { SplitFractions, SplitName, SplitSettings } from '../../../src-main/api/types/library';

/** The split editor's fields as the inputs hold them (a number input gives '' when empty). */
export interface SplitFormValues {
  train: number | string;
  validation: number | string;
  test: number | string;
  seed: number | string;
}

/** Parameters of `splits.assign`, or the first problem with the form, naming its field. */
export type SplitFormCheck =
  | { ok: true; params: SplitFractions & { seed: number } }
  | { ok: false; field: SplitName | 'seed' | 'sum'; error: string };

const LABELS: Record<SplitName, string> = { train: 'Train', validation: 'Validation', test: 'Test' };

/** The form before any assignment: 80/10/10, seed 42. */
export const DEFAULT_SPLIT_FORM: SplitFormValues = { train: 80, validation: 10, test: 10, seed: 42 };

function toNumber(value: number | string): number {
  if (typeof value === 'number') return value;
  return value.trim() === '' ? Number.NaN : Number(value);
}

/** Checks the percentages (each 0–100, summing to 100) and the seed, and turns them into fractions. */
export function checkSplitForm(values: SplitFormValues): SplitFormCheck {
  const pct = { train: 0, validation: 0, test: 0 };
  for (const name of ['train', 'validation', 'test'] as const) {
    const value = toNumber(values[name]);
    if (!Number.isFinite(value) || value < 0 || value > 100) {
      return { ok: false, field: name, error: `${LABELS[name]} must be a percentage from 0 to 100.` };
    }
    pct[name] = value;
  }
  const sum = pct.train + pct.validation + pct.test;
  if (Math.abs(sum - 100) > 1e-6) {
    const shown = Math.round(sum * 100) / 100;
    return { ok: false, field: 'sum', error: `The percentages add up to ${shown}%; they must add up to 100%.` };
  }
  if (pct.train === 0) return { ok: false, field: 'train', error: 'Train needs some images: give it more than 0%.' };
  const seed = toNumber(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0) return { ok: false, field: 'seed', error: 'The seed must be a whole number, 0 or more.' };
  return { ok: true, params: { train: pct.train / 100, validation: pct.validation / 100, test: pct.test / 100, seed } };
}

/** The form filled from the settings last used, so reassigning starts from them. */
export function formFromSettings(settings: SplitSettings | null): SplitFormValues {
  if (!settings) return { ...DEFAULT_SPLIT_FORM };
  const pct = (fraction: number) => Math.round(fraction * 10_000) / 100;
  return { train: pct(settings.train), validation: pct(settings.validation), test: pct(settings.test), seed: settings.seed };
}
