/**
 * The one contract between the renderer and the main side. Every request with its
 * parameters and result, and every pushed event with its payload, is declared here.
 * Main, preload and renderer import it; the renderer imports types only.
 */
import type { ApiError } from './errors';

/** Which host runs the main-side services. */
export type HostMode = 'electron' | 'serve';

/** What the renderer needs to know about the host on start. */
export interface AppInfo {
  version: string;
  mode: HostMode;
  /** True where a native folder picker exists (Electron). */
  canPickFolder: boolean;
}

/** The project that is open, if any. */
export interface ProjectInfo {
  dir: string;
  name: string;
  schemaVersion: number;
  createdAt: string;
}

/** The engine process as the UI shows it. */
export type EngineState = 'starting' | 'ready' | 'busy' | 'crashed' | 'stopped';

/** Engine status, pushed whenever it changes. */
export interface EngineStatus {
  state: EngineState;
  /** tfjs backend in use: 'tensorflow' (native, CUDA or CPU), 'wasm' or 'cpu'; null before ready. */
  backend: string | null;
  /** Which package supplied the backend, e.g. '@tensorflow/tfjs-node-gpu'. */
  backendPackage: string | null;
  tfjsVersion: string | null;
  /** Why the engine last stopped, when it crashed. */
  lastError: string | null;
  restarts: number;
}

/** Result of the engine's self-test: a timed matrix-multiply loop. */
export interface EngineSelfTest {
  backend: string;
  iterations: number;
  seconds: number;
  gflops: number;
}

/** Every request: name → parameters and result. */
export interface ApiRequests {
  'app.info': { params: void; result: AppInfo };
  'project.current': { params: void; result: ProjectInfo | null };
  'project.open': { params: { dir: string }; result: ProjectInfo };
  'project.create': { params: { dir: string }; result: ProjectInfo };
  'project.pickFolder': { params: void; result: string | null };
  'engine.status': { params: void; result: EngineStatus };
  'engine.restart': { params: void; result: EngineStatus };
  'engine.selfTest': { params: { size: number; iterations: number; jobId: string }; result: EngineSelfTest };
  'job.cancel': { params: { jobId: string }; result: { cancelled: boolean } };
}

/** Progress of a long job (import, download, training …), pushed as 'job.progress'. */
export interface JobProgress {
  jobId: string;
  kind: string;
  done: number;
  total: number;
  message: string;
}

/** Every event pushed from the main side: name → payload. */
export interface ApiEvents {
  'engine.status': EngineStatus;
  'job.progress': JobProgress;
}

/** A request name. */
export type RequestName = keyof ApiRequests;
/** An event name. */
export type EventName = keyof ApiEvents;
/** Parameters of request N. */
export type ParamsOf<N extends RequestName> = ApiRequests[N]['params'];
/** Result of request N. */
export type ResultOf<N extends RequestName> = ApiRequests[N]['result'];
/** Arguments after the name: none when the request takes no parameters. */
export type ParamsArgs<N extends RequestName> = ParamsOf<N> extends void ? [] : [ParamsOf<N>];

/** What every request returns across a transport: a value or an error the user can act on. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** A pushed event as it travels. */
export interface EventMessage<E extends EventName = EventName> {
  name: E;
  payload: ApiEvents[E];
}

/** The runtime list of request names, kept exhaustive by the type. Transports drop unknown names. */
export const REQUEST_NAMES: Readonly<Record<RequestName, true>> = {
  'app.info': true,
  'project.current': true,
  'project.open': true,
  'project.create': true,
  'project.pickFolder': true,
  'engine.status': true,
  'engine.restart': true,
  'engine.selfTest': true,
  'job.cancel': true,
};

/** The runtime list of event names, kept exhaustive by the type. */
export const EVENT_NAMES: Readonly<Record<EventName, true>> = {
  'engine.status': true,
  'job.progress': true,
};

/** Tells whether a string names a request. */
export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(REQUEST_NAMES, name);
}

/** Tells whether a string names an event. */
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(EVENT_NAMES, name);
}

/** The Electron IPC channels: one for calls, one for events. Nothing else names a channel. */
export const IPC_CHANNELS = { call: 'graft:call', event: 'graft:event' } as const;

/** The API object the preload exposes as `window.graft`. */
export interface GraftBridge {
  call<N extends RequestName>(name: N, ...params: ParamsArgs<N>): Promise<Reply<ResultOf<N>>>;
  on<E extends EventName>(name: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

/** WebSocket wire messages: client → server. */
export type WsClientMessage = { kind: 'call'; id: number; name: RequestName; params: unknown };

/** WebSocket wire messages: server → client. */
export type WsServerMessage =
  | { kind: 'reply'; id: number; reply: Reply<unknown> }
  | { kind: 'event'; name: EventName; payload: unknown };
