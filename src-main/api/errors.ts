/** Error codes the user can act on; each reply that fails carries one of these. */
export type ErrorCode =
  | 'bad-request'
  | 'not-found'
  | 'not-a-project'
  | 'project-exists'
  | 'schema-too-new'
  | 'cancelled'
  | 'engine-crashed'
  | 'engine-unavailable'
  | 'io'
  | 'internal';

/** The plain-data error that crosses process boundaries. */
export interface ApiError {
  code: ErrorCode;
  message: string;
}

/** An expected failure: thrown inside services, returned to callers as an ApiError value. */
export class GraftError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'GraftError';
    this.code = code;
    this.details = details;
  }
}

/** Turns anything thrown into an ApiError; unexpected errors become 'internal' with their message. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof GraftError) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `Unexpected error: ${message}` };
}

/** Marks a switch as exhaustive: TypeScript fails to compile when a case is missing. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}

/** The GraftError for a file refused before reading: absent is not-found, unreadable is io, the rest a bad request. */
export function fileRefusalError(refusal: { reason: string; message: string }): GraftError {
  const code: ErrorCode = refusal.reason === 'missing' ? 'not-found' : refusal.reason === 'unreadable' ? 'io' : 'bad-request';
  return new GraftError(code, refusal.message);
}
