/**
 * Small parsers for data that arrives untyped (a transport's params, a process message, a
 * CLI option). Each parser checks a value and returns it typed, or throws a ParseError that
 * names the offending field, so a trust boundary validates once and everything past it is typed.
 */

/** A value that did not have the expected shape; `path` names the field (`options.limit`). */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  constructor(
    readonly path: string,
    readonly expected: string,
  ) {
    super(`${path ? `"${path}"` : 'The value'} must be ${expected}.`);
  }
}

/** Checks `value` and returns it typed, or throws ParseError; `path` is used in the message. */
export type Parser<T> = (value: unknown, path?: string) => T;

/** The type a parser returns. */
export type Parsed<P> = P extends Parser<infer T> ? T : never;

const join = (path: string | undefined, key: string | number): string =>
  typeof key === 'number' ? `${path ?? ''}[${key}]` : path ? `${path}.${key}` : key;

/** Any string; options bound its length and refuse the empty string. */
export function str(options: { nonEmpty?: boolean; maxLength?: number } = {}): Parser<string> {
  const max = options.maxLength ?? 65_536;
  return (value, path = '') => {
    if (typeof value !== 'string' || value.length > max || (options.nonEmpty && value.length === 0)) {
      throw new ParseError(path, options.nonEmpty ? 'a non-empty string' : 'a string');
    }
    return value;
  };
}

/** A whole number within [min, max] (defaults: any safe integer). */
export function int(options: { min?: number; max?: number } = {}): Parser<number> {
  const min = options.min ?? Number.MIN_SAFE_INTEGER;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  return (value, path = '') => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new ParseError(path, describeRange('a whole number', min, max));
    }
    return value;
  };
}

/** A whole number ≥ 1 (a count, a size, an id). */
export const positiveInt = (max?: number): Parser<number> => int({ min: 1, max });

/** A finite number within [min, max]. */
export function num(options: { min?: number; max?: number } = {}): Parser<number> {
  const min = options.min ?? -Infinity;
  const max = options.max ?? Infinity;
  return (value, path = '') => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      throw new ParseError(path, describeRange('a number', min, max));
    }
    return value;
  };
}

/** true or false. */
export const bool: Parser<boolean> = (value, path = '') => {
  if (typeof value !== 'boolean') throw new ParseError(path, 'true or false');
  return value;
};

/** One of a fixed set of strings (or numbers). */
export function oneOf<const T extends string | number>(choices: readonly T[]): Parser<T> {
  return (value, path = '') => {
    if (!(choices as readonly unknown[]).includes(value)) throw new ParseError(path, `one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`);
    return value as T;
  };
}

/** A value or undefined (absent field); null counts as absent too. */
export function optional<T>(parser: Parser<T>): Parser<T | undefined> {
  return (value, path) => (value === undefined || value === null ? undefined : parser(value, path));
}

/** A value or null. */
export function nullable<T>(parser: Parser<T>): Parser<T | null> {
  return (value, path) => (value === null ? null : parser(value, path));
}

/** An array whose items each pass `item`, at most `maxItems` long. */
export function array<T>(item: Parser<T>, options: { maxItems?: number; minItems?: number } = {}): Parser<T[]> {
  const max = options.maxItems ?? 1_000_000;
  const min = options.minItems ?? 0;
  return (value, path = '') => {
    if (!Array.isArray(value) || value.length > max || value.length < min) {
      throw new ParseError(path, min > 0 ? `a list of ${min} to ${max} items` : `a list of at most ${max} items`);
    }
    return value.map((v, i) => item(v, join(path, i)));
  };
}

/** A shape: each field parsed by its parser; fields not named are dropped. */
export function object<S extends Record<string, Parser<unknown>>>(shape: S): Parser<{ [K in keyof S]: Parsed<S[K]> }> {
  return (value, path = '') => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ParseError(path, 'an object');
    const record = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(shape)) {
      const parsed = shape[key]!(Object.hasOwn(record, key) ? record[key] : undefined, join(path, key));
      if (parsed !== undefined) out[key] = parsed;
    }
    return out as { [K in keyof S]: Parsed<S[K]> };
  };
}

/** An object used as a map: any keys (at most `maxKeys`), each value passing `value`. */
export function record<T>(value: Parser<T>, options: { maxKeys?: number } = {}): Parser<Record<string, T>> {
  const max = options.maxKeys ?? 10_000;
  return (input, path = '') => {
    if (typeof input !== 'object' || input === null || Array.isArray(input) || Object.keys(input).length > max) {
      throw new ParseError(path, `an object of at most ${max} entries`);
    }
    const out: Record<string, T> = {};
    for (const [key, item] of Object.entries(input)) out[key] = value(item, join(path, key));
    return out;
  };
}

/** The first parser that accepts the value; its error when none does names every choice. */
export function either<A, B>(a: Parser<A>, b: Parser<B>, expected: string): Parser<A | B> {
  return (value, path = '') => {
    try {
      return a(value, path);
    } catch {
      try {
        return b(value, path);
      } catch {
        throw new ParseError(path, expected);
      }
    }
  };
}

/** No parameters: undefined or null. */
export const nothing: Parser<void> = (value, path = '') => {
  if (value !== undefined && value !== null) throw new ParseError(path, 'left out (this request takes no parameters)');
};

function describeRange(what: string, min: number, max: number): string {
  const lo = Number.isFinite(min) && min > Number.MIN_SAFE_INTEGER;
  const hi = Number.isFinite(max) && max < Number.MAX_SAFE_INTEGER;
  if (lo && hi) return `${what} from ${min} to ${max}`;
  if (lo) return `${what} ≥ ${min}`;
  if (hi) return `${what} ≤ ${max}`;
  return what;
}
