import { ParseError } from '../base/parse';
import type { ApiRequests, ParamsOf, Reply, RequestName, ResultOf } from './contract';
import { GraftError, toApiError } from './errors';
import { isRequestName, REQUEST_PARAMS } from './params';

/** A handler for request N; it receives parameters already checked against REQUEST_PARAMS. */
export type Handler<N extends RequestName> = (params: ParamsOf<N>) => Promise<ResultOf<N>> | ResultOf<N>;

/** One handler for every request in the contract; the type fails when one is missing. */
export type ApiHandlers = { [N in RequestName]: Handler<N> };

/** Where unexpected errors go, with context. */
export type ErrorLogger = (message: string, error: unknown) => void;

/** Routes a (name, params) pair from any transport to its handler and always answers with a Reply. */
export interface Dispatcher {
  dispatch(name: unknown, params: unknown): Promise<Reply<unknown>>;
}

/** Checks a request's parameters against its parser; a malformed call becomes a 'bad-request' the caller can read. */
export function parseRequestParams<N extends RequestName>(name: N, params: unknown): ParamsOf<N> {
  try {
    return (REQUEST_PARAMS[name] as (value: unknown) => ParamsOf<N>)(params);
  } catch (error) {
    if (error instanceof ParseError) throw new GraftError('bad-request', `Invalid parameters for ${name}: ${error.message}`);
    throw error;
  }
}

/** Builds the transport-independent dispatcher over a full handler map. */
export function createDispatcher(handlers: ApiHandlers, logError: ErrorLogger): Dispatcher {
  return {
    async dispatch(name, params) {
      if (!isRequestName(name)) {
        return { ok: false, error: { code: 'bad-request', message: `Unknown request: ${String(name).slice(0, 100)}` } };
      }
      try {
        const checked = parseRequestParams(name, params);
        const handler = handlers[name] as (p: unknown) => Promise<unknown> | unknown;
        const value = await handler(checked);
        return { ok: true, value };
      } catch (error) {
        if (!(error instanceof GraftError)) logError(`request ${name} failed`, error);
        return { ok: false, error: toApiError(error) };
      }
    },
  };
}

/** Picks the handlers for a subset of requests; lets each domain declare its own slice. */
export type HandlerSlice<K extends keyof ApiRequests> = { [N in K]: Handler<N> };
