import type { ApiEvents, EventName, ParamsOf, RequestName, ResultOf } from '../../../src-main/api/contract';
import type { ApiClient } from '../api/api-client';

/** Canned answers for a fake client: a function per request name the test uses. */
export type FakeHandlers = { [N in RequestName]?: (params: ParamsOf<N>) => ResultOf<N> | Promise<ResultOf<N>> };

/** An in-memory ApiClient for component tests: records calls and lets the test push events. */
export interface FakeApi extends ApiClient {
  calls: { name: RequestName; params: unknown }[];
  /** Delivers an event to every listener of `name`. */
  emit<E extends EventName>(name: E, payload: ApiEvents[E]): void;
  /** How many listeners `name` has now. */
  listeners(name: EventName): number;
}

/** Builds a fake client; a request without a handler rejects, so a test sees unexpected calls. */
export function fakeApi(handlers: FakeHandlers = {}): FakeApi {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const calls: FakeApi['calls'] = [];
  return {
    calls,
    async call(name, ...params) {
      calls.push({ name, params: params[0] });
      const handler = handlers[name] as ((p: unknown) => unknown) | undefined;
      if (!handler) throw new Error(`fake api: no handler for ${name}`);
      return (await handler(params[0])) as never;
    },
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(name, set);
      return () => set.delete(listener as (payload: never) => void);
    },
    emit(name, payload) {
      for (const listener of listeners.get(name) ?? []) (listener as (p: typeof payload) => void)(payload);
    },
    listeners: (name) => listeners.get(name)?.size ?? 0,
  };
}

/** A promise with its resolve and reject exposed, to hold a fake request open. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
