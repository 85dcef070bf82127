import { GraftError } from '../api/errors';
import { ParseError, type Parser } from '../base/parse';
import type { CliValues } from './command';

/** One `key` or `key=value` item of a comma-separated option such as `--augment flip,rotate=10`. */
export interface Term {
  key: string;
  /** The text after `=`, or null for a bare key. */
  value: string | null;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** Splits `a,b=1,c` into terms; empty items and empty keys are refused. */
export function splitTerms(flag: string, text: string): Term[] {
  return text.split(',').map((item) => {
    const trimmed = item.trim();
    const eq = trimmed.indexOf('=');
    const key = (eq < 0 ? trimmed : trimmed.slice(0, eq)).trim();
    if (!key) throw new GraftError('bad-request', `--${flag} has an empty item in "${text}"; separate items with single commas.`);
    return { key, value: eq < 0 ? null : trimmed.slice(eq + 1).trim() };
  });
}

/** A term's value as a number; a bare key or a non-number fails naming the option and the term. */
export function termNumber(flag: string, term: Term): number {
  if (term.value === null || !NUMBER.test(term.value)) {
    throw new GraftError('bad-request', `--${flag}: ${term.key} takes a number, e.g. ${term.key}=0.1; got "${term.value ?? ''}".`);
  }
  return Number(term.value);
}

/** Refuses a term that takes no value but was given one. */
export function bareTerm(flag: string, term: Term): void {
  if (term.value !== null) throw new GraftError('bad-request', `--${flag}: ${term.key} takes no value; got "${term.key}=${term.value}".`);
}

/**
 * Checks a value assembled from terms with the contract's own parser. A refusal names the
 * term the user typed (`names` maps a field of the value to it), not the field inside.
 */
export function checkTerms<T>(flag: string, parser: Parser<T>, value: unknown, names: Readonly<Record<string, string>> = {}): T {
  try {
    return parser(value, '');
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    const field = error.path.split(/[.[]/).filter(Boolean).at(-1) ?? '';
    const where = names[field] ?? (error.path || 'its value');
    throw new GraftError('bad-request', `--${flag}: ${where} must be ${error.expected}.`);
  }
}

/**
 * Reads an optional number option (`--lr 3e-4`) with the contract's parser for it: the text
 * must be a plain number, then the parser bounds it.
 */
export function numberOption<T>(values: CliValues, name: string, parser: Parser<T>): T | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const fail = (expected: string) => new GraftError('bad-request', `--${name} must be ${expected}; got "${String(raw)}".`);
  if (typeof raw !== 'string' || !NUMBER.test(raw)) throw fail('a number');
  try {
    return parser(Number(raw), `--${name}`);
  } catch (error) {
    if (error instanceof ParseError) throw fail(error.expected);
    throw error;
  }
}

/** Reads an optional string option, refusing an empty one. */
export function textOption(values: CliValues, name: string): string | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || raw.trim() === '') throw new GraftError('bad-request', `--${name} needs a value.`);
  return raw.trim();
}
