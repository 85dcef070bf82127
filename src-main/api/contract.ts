import type { ModelInfo, ModelSummary, ModelSummaryParams } from './types/models';
/**
 * The one contract between the renderer and the main side. Every request with its
 * parameters and result, and every pushed event with its payload, is declared here.
 * Main, preload and renderer import it; the renderer imports types only.
 */
import type { ApiError } from './errors';
import type { ImportOptions, ImportSummary } from './types/import';
import type {
  ClassInfo,
  ClassOperationResult,
  ImageFolderExport,
  ImageFolderOptions,
  ImagePage,
  ImageQuery,
  ImageRecord,
  LabelResult,
  LabelsCsvExport,
  LabelsCsvImport,
  LibraryCounts,
  SplitCounts,
  SplitFractions,
  SplitName,
  SplitSettings,
  UndoResult,
  UndoState,
} from './types/library';

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
  'models.list': { params: void; result: ModelInfo[] };
  'models.summary': { params: ModelSummaryParams; result: ModelSummary };
  'library.import': { params: LibraryImportParams; result: ImportSummary };
  'library.list': { params: ImageQuery; result: ImagePage };
  'library.ids': { params: ImageQuery; result: number[] };
  'library.counts': { params: void; result: LibraryCounts };
  'library.image': { params: { imageId: number }; result: ImageRecord };
  'classes.list': { params: void; result: ClassInfo[] };
  'classes.create': { params: { name: string; color?: string }; result: ClassOperationResult };
  'classes.rename': { params: { classId: number; name: string }; result: ClassOperationResult };
  'classes.recolor': { params: { classId: number; color: string }; result: ClassOperationResult };
  'classes.reorder': { params: { classIds: number[] }; result: { undo: UndoState } };
  'classes.merge': { params: { sourceIds: number[]; targetId: number }; result: ClassOperationResult };
  'classes.delete': { params: { classId: number }; result: ClassOperationResult };
  'labels.assign': { params: { imageIds: number[]; classId: number }; result: LabelResult };
  'labels.remove': { params: { imageIds: number[] }; result: LabelResult };
  'labels.undo': { params: void; result: UndoResult | null };
  'labels.redo': { params: void; result: UndoResult | null };
  'labels.undoState': { params: void; result: UndoState };
  'labels.exportCsv': { params: { file: string }; result: LabelsCsvExport };
  'labels.importCsv': { params: { file: string }; result: LabelsCsvImport };
  'labels.exportImageFolder': { params: { dir: string; jobId: string } & ImageFolderOptions; result: ImageFolderExport };
  'splits.assign': { params: SplitFractions & { seed: number }; result: SplitCounts };
  'splits.pin': { params: { imageIds: number[]; split: SplitName | null }; result: { changed: number } };
  'splits.summary': { params: void; result: { counts: SplitCounts; settings: SplitSettings | null } };
}

/** Parameters of `library.import`: the folder, the import options and the caller's job id. */
export interface LibraryImportParams extends ImportOptions {
  folder: string;
  jobId: string;
}

/** Pushed after anything changes the library, so every open view refreshes. */
export interface LibraryChanged {
  reason: 'import' | 'labels' | 'classes' | 'splits' | 'project';
}

/** Progress of a long job (import, download, training …), pushed as 'job.progress'. */
export interface JobProgress {
  jobId: string;
  kind: string;
  done: number;
  total: number;
  message: string;
  /** Items per second so far, when the job measures it. */
  ratePerSecond?: number;
  /** Seconds left at the current rate; null while unknown. */
  etaSeconds?: number | null;
}

/** Every event pushed from the main side: name → payload. */
export interface ApiEvents {
  'engine.status': EngineStatus;
  'job.progress': JobProgress;
  'library.changed': LibraryChanged;
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
  'models.list': true,
  'models.summary': true,
  'library.import': true,
  'library.list': true,
  'library.ids': true,
  'library.counts': true,
  'library.image': true,
  'classes.list': true,
  'classes.create': true,
  'classes.rename': true,
  'classes.recolor': true,
  'classes.reorder': true,
  'classes.merge': true,
  'classes.delete': true,
  'labels.assign': true,
  'labels.remove': true,
  'labels.undo': true,
  'labels.redo': true,
  'labels.undoState': true,
  'labels.exportCsv': true,
  'labels.importCsv': true,
  'labels.exportImageFolder': true,
  'splits.assign': true,
  'splits.pin': true,
  'splits.summary': true,
};

/** The runtime list of event names, kept exhaustive by the type. */
export const EVENT_NAMES: Readonly<Record<EventName, true>> = {
  'engine.status': true,
  'job.progress': true,
  'library.changed': true,
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
  /** Desktop only: the filesystem path of a file or folder dropped on the window (null if it has none). */
  pathForFile?(file: unknown): string | null;
}

/** WebSocket wire messages: client → server. */
export type WsClientMessage = { kind: 'call'; id: number; name: RequestName; params: unknown };

/** WebSocket wire messages: server → client. */
export type WsServerMessage =
  | { kind: 'reply'; id: number; reply: Reply<unknown> }
  | { kind: 'event'; name: EventName; payload: unknown };
