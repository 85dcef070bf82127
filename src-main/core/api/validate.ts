import { GraftError } from '../../api/errors';

// Params arrive from a transport as untyped data: check each field a handler reads.

function field(params: unknown, key: string): unknown {
  if (typeof params !== 'object' || params === null) throw new GraftError('bad-request', 'Parameters must be an object.');
  return (params as Record<string, unknown>)[key];
}

/** Reads a non-empty string field or fails with 'bad-request'. */
export function requireString(params: unknown, key: string): string {
  const value = field(params, key);
  if (typeof value !== 'string' || value.length === 0) throw new GraftError('bad-request', `"${key}" must be a non-empty string.`);
  return value;
}

/** Reads a finite number field or fails with 'bad-request'. */
export function requireNumber(params: unknown, key: string): number {
  const value = field(params, key);
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new GraftError('bad-request', `"${key}" must be a number.`);
  return value;
}
