import { expect } from 'vitest';
import { GraftError } from '../../../../api/errors';

/** Awaits a promise that must fail with a GraftError and returns that error for closer checks. */
export async function caught(promise: Promise<unknown>): Promise<GraftError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(GraftError);
  return error as GraftError;
}
