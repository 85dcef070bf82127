import type { ApiEvents, EventName, ParamsOf, RequestName, ResultOf } from '../../../src-main/api/contract';
import type { ApiClient } from '../api/api-client';

/** Canned answers for a fake client: a function per request name the test uses. */
export type FakeHandlers = { [N in RequestName]?: (params: ParamsOf<N>) => ResultOf<N> | Promise<ResultOf<N>> };

/** An in-memory ApiClient for component tests: records calls and lets the test push events. */
export interface FakeApi extends ApiClient {
  calls: { name: RequestName; params: unknown }[];
  handlers: FakeHandlers;
  /** Delivers an event to every listener of `name` (and of its topic, for job events and run metrics). */
  emit<E extends EventName>(name: E, payload: ApiEvents[E]): void;
  /** How many listeners `name` has now. */
  listeners(name: EventName): number;
}

interface Listener {
  name: EventName;
  topic: string | null;
  fn: (payload: never) => void;
}

/** The topic of an event as the main side computes it: a job event's job id, a run's metrics' run id; null for other events. */
function topicOf(name: EventName, payload: unknown): string | null {
  const p = payload as { jobId?: unknown; job?: { id?: unknown }; runId?: unknown };
  if (name === 'run.metrics') return String(p.runId);
  if (typeof p.jobId === 'string') return p.jobId;
  return typeof p.job?.id === 'string' ? p.job.id : null;
}

/** Builds a fake client; a request without a handler rejects, so a test sees unexpected calls. */
export function fakeApi(handlers: FakeHandlers = {}): FakeApi {
  const listeners = new Set<Listener>();
  const calls: FakeApi['calls'] = [];
  return {
    calls,
    handlers,
    async call(name, ...params) {
      calls.push({ name, params: params[0] });
      const handler = handlers[name] as ((p: unknown) => unknown) | undefined;
      if (!handler) throw new Error(`fake api: no handler for ${name}`);
      return (await handler(params[0])) as never;
    },
    on(name, listener, topic) {
      const entry: Listener = { name, topic: topic ?? null, fn: listener as (payload: never) => void };
      listeners.add(entry);
      return () => listeners.delete(entry);
    },
    emit(name, payload) {
      const topic = topicOf(name, payload);
      for (const listener of [...listeners]) {
        if (listener.name === name && (listener.topic === null || listener.topic === topic)) listener.fn(payload as never);
      }
    },
    listeners: (name) => [...listeners].filter((l) => l.name === name).length,
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
