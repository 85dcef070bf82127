/**
 * The one contract between the renderer and the main side. Every request with its
 * parameters and result, and every pushed event with its payload, is declared here;
 * the parameters of each request are checked against `REQUEST_PARAMS` (api/params) before
 * any handler runs. Main, preload and renderer import it; the renderer imports types only.
 */
import type { ApiError } from './errors';
import type { AppInfo, EngineStatus, ProjectInfo } from './types/app';
import type { ImageFolderExportParams, JobEvent, JobInfo, JobProgressEvent, JobStarted, LibraryImportParams, SelfTestParams } from './types/jobs';
import type {
  ClassInfo,
  ClassOperationResult,
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
import type { DownloadWeightsParams, ModelInfo, ModelSummary, ModelSummaryParams, WeightsStatus, WeightsStatusParams } from './types/models';
import type { ExportParams } from './types/export';
import type { FolderBrowseParams, FolderListing } from './types/folder-browser';
import type { UploadFileParams, UploadFileResult, UploadFinished, UploadPlan, UploadStartParams } from './types/photo-upload';
import type {
  ImportedModel,
  ModelImportParams,
  PredictFilesParams,
  Suggestion,
  SuggestionsAcceptAboveParams,
  SuggestionsAcceptAboveResult,
  SuggestionsAcceptResult,
  SuggestionsListParams,
  SuggestionsRunParams,
  SuggestionsSummary,
} from './types/predict';
import type {
  AugmentPreview,
  AugmentPreviewParams,
  DatasetCheck,
  EvaluateParams,
  GradCam,
  GradCamParams,
  LrFinderRequest,
  PredictionPage,
  PredictionQuery,
  RunDetail,
  RunMetricsEvent,
  RunSummary,
  TrainingConfig,
  TrainingStartParams,
} from './types/runs';

/** Every request: name → parameters and result. */
export interface ApiRequests {
  'app.info': { params: void; result: AppInfo };
  'project.current': { params: void; result: ProjectInfo | null };
  'project.open': { params: { dir: string }; result: ProjectInfo };
  'project.create': { params: { dir: string }; result: ProjectInfo };
  'project.pickFolder': { params: void; result: string | null };
  'engine.status': { params: void; result: EngineStatus };
  'engine.restart': { params: void; result: EngineStatus };
  'engine.selfTest': { params: SelfTestParams; result: JobStarted };
  'jobs.list': { params: void; result: JobInfo[] };
  'jobs.get': { params: { jobId: string }; result: JobInfo };
  'jobs.cancel': { params: { jobId: string }; result: { cancelled: boolean } };
  'jobs.pause': { params: { jobId: string }; result: JobInfo };
  'jobs.resume': { params: { jobId: string }; result: JobInfo };
  'models.list': { params: void; result: ModelInfo[] };
  'models.summary': { params: ModelSummaryParams; result: ModelSummary };
  'models.download': { params: DownloadWeightsParams; result: JobStarted };
  'models.weightsStatus': { params: WeightsStatusParams; result: WeightsStatus };
  'library.import': { params: LibraryImportParams; result: JobStarted };
  'library.list': { params: ImageQuery; result: ImagePage };
  'library.ids': { params: ImageQuery; result: number[] };
  'library.counts': { params: void; result: LibraryCounts };
  'library.image': { params: { imageId: number }; result: ImageRecord };
  /** Lists the folders inside a folder on the server (home by default), for picking one to import where no native dialog exists. */
  'library.browse': { params: FolderBrowseParams; result: FolderListing };
  /** Opens an upload of photos from a browser into the project's photos folder: which files it takes, which it refuses. */
  'library.uploadStart': { params: UploadStartParams; result: UploadPlan };
  'library.uploadFile': { params: UploadFileParams; result: UploadFileResult };
  /** Closes an upload; the page then imports the folder it names. */
  'library.uploadFinish': { params: { uploadId: string }; result: UploadFinished };
  /** Closes an upload and removes the files it wrote. */
  'library.uploadCancel': { params: { uploadId: string }; result: { removed: number } };
  'classes.list': { params: void; result: ClassInfo[] };
  'classes.create': { params: { name: string; color?: string }; result: ClassOperationResult };
  'classes.rename': { params: { classId: number; name: string }; result: ClassOperationResult };
  'classes.recolor': { params: { classId: number; color: string }; result: ClassOperationResult };
  'classes.reorder': { params: { classIds: number[] }; result: { undo: UndoState } };
  'classes.merge': { params: { sourceIds: number[]; targetId: number }; result: ClassOperationResult };
  'classes.delete': { params: { classId: number }; result: ClassOperationResult };
  /** Gives a class a digit key 1–9 (a class holding it takes the old key in exchange) or none; undoable. */
  'classes.setHotkey': { params: { classId: number; hotkey: number | null }; result: ClassOperationResult };
  'labels.assign': { params: { imageIds: number[]; classId: number }; result: LabelResult };
  'labels.remove': { params: { imageIds: number[] }; result: LabelResult };
  'labels.undo': { params: void; result: UndoResult | null };
  'labels.redo': { params: void; result: UndoResult | null };
  'labels.undoState': { params: void; result: UndoState };
  'labels.exportCsv': { params: { file: string }; result: LabelsCsvExport };
  'labels.importCsv': { params: { file: string }; result: LabelsCsvImport };
  'labels.exportImageFolder': { params: ImageFolderExportParams; result: JobStarted };
  'splits.assign': { params: SplitFractions & { seed: number }; result: SplitCounts };
  'splits.pin': { params: { imageIds: number[]; split: SplitName | null }; result: { changed: number } };
  'splits.summary': { params: void; result: { counts: SplitCounts; settings: SplitSettings | null } };
  'training.start': { params: TrainingStartParams; result: JobStarted };
  'training.resume': { params: { runId: number }; result: JobStarted };
  'training.lrFind': { params: LrFinderRequest; result: JobStarted };
  'runs.list': { params: void; result: RunSummary[] };
  'runs.get': { params: { runId: number }; result: RunDetail };
  'runs.rename': { params: { runId: number; name: string }; result: RunSummary };
  'runs.delete': { params: { runId: number }; result: { deleted: boolean } };
  'runs.evaluate': { params: EvaluateParams; result: JobStarted };
  'runs.predictions': { params: PredictionQuery; result: PredictionPage };
  'runs.gradCam': { params: GradCamParams; result: GradCam };
  'runs.export': { params: ExportParams; result: JobStarted };
  'training.check': { params: void; result: DatasetCheck };
  'training.lastConfig': { params: void; result: TrainingConfig | null };
  'training.augmentPreview': { params: AugmentPreviewParams; result: AugmentPreview };
  'predict.files': { params: PredictFilesParams; result: JobStarted };
  'predict.upload': { params: { fileName: string; data: string }; result: { path: string } };
  'suggestions.run': { params: SuggestionsRunParams; result: JobStarted };
  'suggestions.list': { params: SuggestionsListParams; result: Suggestion[] };
  'suggestions.summary': { params: void; result: SuggestionsSummary };
  'suggestions.accept': { params: { imageIds: number[] }; result: SuggestionsAcceptResult };
  'suggestions.reject': { params: { imageIds: number[] }; result: { rejected: number } };
  'suggestions.acceptAbove': { params: SuggestionsAcceptAboveParams; result: SuggestionsAcceptAboveResult };
  'models.import': { params: ModelImportParams; result: ImportedModel };
  'models.imported': { params: void; result: ImportedModel[] };
  'models.removeImported': { params: { modelId: number }; result: { removed: boolean } };
}

/** Pushed after anything changes the library, so every open view refreshes. */
export interface LibraryChanged {
  reason: 'import' | 'labels' | 'classes' | 'splits' | 'project' | 'suggestions';
}

/** Every event pushed from the main side: name → payload. */
export interface ApiEvents {
  'engine.status': EngineStatus;
  'job.started': JobEvent;
  'job.progress': JobProgressEvent;
  /** A job's status changed without finishing: queued, running, paused, its queue position. */
  'job.state': JobEvent;
  'job.finished': JobEvent;
  /** A job failed or was cancelled (`job.error.code` says which). */
  'job.failed': JobEvent;
  'library.changed': LibraryChanged;
  /** A run's new epochs and sampled batches, in order (topic: the run id). */
  'run.metrics': RunMetricsEvent;
  /** A run was created, renamed, deleted or ended: lists refresh. */
  'runs.changed': { runId: number };
}

/**
 * The topic of each event, so a client can subscribe to one job's events rather than all:
 * job events are topical by job id; the others go to every subscriber of their name.
 */
export const EVENT_TOPICS: { readonly [E in EventName]: ((payload: ApiEvents[E]) => string) | null } = {
  'engine.status': null,
  'job.started': (p) => p.job.id,
  'job.progress': (p) => p.jobId,
  'job.state': (p) => p.job.id,
  'job.finished': (p) => p.job.id,
  'job.failed': (p) => p.job.id,
  'library.changed': null,
  'run.metrics': (p) => String(p.runId),
  'runs.changed': null,
};

/** The topic of an event message, or null when its kind of event has none. */
export function topicOf(message: EventMessage): string | null {
  const topic = EVENT_TOPICS[message.name] as ((payload: unknown) => string) | null;
  return topic ? topic(message.payload) : null;
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

/** A pushed event on the wire, with its topic so a client can route it to the listeners of that topic. */
export interface WireEvent<E extends EventName = EventName> extends EventMessage<E> {
  topic: string | null;
}

/** The runtime list of event names, kept exhaustive by the type. */
export const EVENT_NAMES: Readonly<Record<EventName, true>> = {
  'engine.status': true,
  'job.started': true,
  'job.progress': true,
  'job.state': true,
  'job.finished': true,
  'job.failed': true,
  'library.changed': true,
  'run.metrics': true,
  'runs.changed': true,
};

/** Tells whether a string names an event. */
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(EVENT_NAMES, name);
}

/** The Electron IPC channels: calls, pushed events, and (un)subscribing to events. Nothing else names a channel. */
export const IPC_CHANNELS = { call: 'graft:call', event: 'graft:event', subscribe: 'graft:subscribe', unsubscribe: 'graft:unsubscribe' } as const;

/** What a client subscribes to: every event of a name, or only those of one topic (a job id). */
export interface EventSubscription {
  name: EventName;
  /** null: all events of this name. */
  topic: string | null;
}

/** The API object the preload exposes as `window.graft`. */
export interface GraftBridge {
  call<N extends RequestName>(name: N, ...params: ParamsArgs<N>): Promise<Reply<ResultOf<N>>>;
  /** Listens to an event, optionally only to one topic of it (e.g. one job's progress); returns the unsubscribe function. */
  on<E extends EventName>(name: E, listener: (payload: ApiEvents[E]) => void, topic?: string): () => void;
  /** Desktop only: the filesystem path of a file or folder dropped on the window (null if it has none). */
  pathForFile?(file: unknown): string | null;
}

/** WebSocket wire messages: client → server. */
export type WsClientMessage =
  | { kind: 'call'; id: number; name: RequestName; params: unknown }
  | ({ kind: 'subscribe' } & EventSubscription)
  | ({ kind: 'unsubscribe' } & EventSubscription);

/** WebSocket wire messages: server → client. */
export type WsServerMessage =
  | { kind: 'reply'; id: number; reply: Reply<unknown> }
  | ({ kind: 'event' } & WireEvent);
