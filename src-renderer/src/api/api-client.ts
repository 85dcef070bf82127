import type { ApiEvents, EventName, GraftBridge, ParamsArgs, RequestName, ResultOf } from '../../../src-main/api/contract';
import type { ApiError, ErrorCode } from '../../../src-main/api/errors';

/** A failed request, thrown by the client so views can `try/catch` and show `message`. */
export class ApiCallError extends Error {
  readonly code: ErrorCode;

  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
  }
}

/** The renderer's one way to talk to the main side, whichever transport carries it. */
export interface ApiClient {
  call<N extends RequestName>(name: N, ...params: ParamsArgs<N>): Promise<ResultOf<N>>;
  /** Listens to an event, or only to one topic of it (a job id); returns the unsubscribe function. */
  on<E extends EventName>(name: E, listener: (payload: ApiEvents[E]) => void, topic?: string): () => void;
}

/** Wraps a transport bridge: unwraps replies, throwing ApiCallError on failure. */
export function createApiClient(bridge: GraftBridge): ApiClient {
  return {
    async call(name, ...params) {
      const reply = await bridge.call(name, ...params);
      if (!reply.ok) throw new ApiCallError(reply.error);
      return reply.value;
    },
    on: (name, listener, topic) => bridge.on(name, listener, topic),
  };
}
