/**
 * Plain-data types of using a trained model: batch prediction (engine and contract), the
 * pre-label suggestions of the Label view, and models imported into a project. Types only.
 */
import type { PreprocessingSpec } from './export';
import type { FailedImage, RuntimeChoice, RuntimeReport } from './inference';
import type { UndoState } from './library';
import type { TrainingConfig } from './runs';

/** The formats a model to predict with comes in: a run's checkpoint, or a file Graft exports. */
export type PredictModelFormat = 'checkpoint' | 'tfjs' | 'onnx' | 'keras' | 'h5';

/** What a model file leaves open that the caller may fill in: its classes and its preprocessing. */
export interface ModelFileHints {
  /** Class names in output order; read from `labels.json` beside the model when absent. */
  classes?: string[];
  /** Input preprocessing; read from `preprocessing.json` beside the model when absent. */
  preprocessing?: PreprocessingSpec;
  /** Only the scaling (Keras `preprocess_input` mode, or `unit` for 0–1), at the model's own input size; `preprocessing` wins. */
  preprocessMode?: PreprocessingSpec['mode'];
}

/** The model of an engine `predict`: a run's checkpoint (with its config, for its preprocessing) or a model file or folder. */
export type EngineModelSource =
  | { kind: 'checkpoint'; runDir: string; checkpoint: 'best' | 'last'; config: TrainingConfig; classes: string[] }
  | ({ kind: 'file'; path: string } & ModelFileHints);

/** The trained model a new run starts from, as the main side resolves a `StartFrom`. */
export interface RunInit {
  source: EngineModelSource;
  /** The model's classes in output order, named as the project names them (an imported model's class map applied); null: a class that is none of the project's. */
  classes: (string | null)[];
  /** What to call it in messages ("run 3's best checkpoint", "imported model pets.keras"). */
  label: string;
}

/** Parameters of the engine's `predict`. */
export interface EnginePredictParams {
  model: EngineModelSource;
  /** Image files, predicted in this order. */
  images: string[];
  /** Classes listed per image (the full probability row comes anyway). */
  top: number;
  runtime?: RuntimeChoice;
  /** ONNX Runtime intra-op threads. */
  threads?: number;
  /** Images per forward pass (default 16). */
  batchSize?: number;
}

/** Parameters of the engine's `inspectModel`: a model file or folder and what the caller knows of it. */
export interface InspectModelParams extends ModelFileHints {
  path: string;
}

/** A model as predicting uses it: where it came from, its classes and preprocessing, and what was assumed. */
export interface PredictModelInfo {
  format: PredictModelFormat;
  /** The model file (the checkpoint folder for a checkpoint). */
  file: string;
  /** Every file the model is made of (model, weight shards, `labels.json`, `preprocessing.json` …), absolute. */
  files: string[];
  classes: string[];
  preprocessing: PreprocessingSpec;
  /** What Graft assumed because the model did not say (missing labels or preprocessing, logits turned into probabilities). */
  assumptions: string[];
}

/** One class of an image's top-K. */
export interface ClassProbability {
  classIndex: number;
  label: string;
  probability: number;
}

/** What a model says about one image. */
export interface PredictedImage {
  path: string;
  /** The K most probable classes, most probable first. */
  top: ClassProbability[];
  /** One probability per class, in the model's class order. */
  probabilities: number[];
  /** Top-1 minus top-2 probability: near 0 = the model hesitates. */
  margin: number;
  /** Shannon entropy of the row in nats (0 = certain, ln K = uniform). */
  entropy: number;
}

/** Progress of a prediction: loading the model, then images. */
export interface PredictProgress {
  phase: 'loading' | 'images';
  done: number;
  total: number;
  /** Images per second so far (images phase); null otherwise. */
  perSecond: number | null;
  message: string;
}

/** What the engine's `predict` returns: a row per readable image in request order, and the images it could not read. */
export interface PredictResult extends RuntimeReport {
  model: PredictModelInfo;
  results: PredictedImage[];
  unreadable: FailedImage[];
  seconds: number;
  imagesPerSecond: number;
}

/** Which model `predict.files` uses: a run's checkpoint, a model file or folder on the server, or a model imported into the project. */
export type PredictModelRef =
  | { runId: number; checkpoint?: 'best' | 'last' }
  | ({ modelPath: string } & ModelFileHints)
  | { modelId: number };

/** Parameters of `predict.files`: images and folders on the server (folders walked recursively), the model, and options. */
export interface PredictFilesParams {
  paths: string[];
  model: PredictModelRef;
  /** Classes listed per image (default 5). */
  top?: number;
  runtime?: RuntimeChoice;
  /** Also write the predictions as CSV here: `path,label,probability`, then one column per class. */
  csvPath?: string;
}

/** The result of a `predict` job. */
export interface PredictFilesResult extends PredictResult {
  /** The CSV written, or null. */
  csvPath: string | null;
  /** Files in the given folders that are not images by their extension are not listed; this counts the images found. */
  images: number;
}

/** Where suggestions came from. */
export type SuggestionSource = { kind: 'run'; runId: number; runName: string; checkpoint: 'best' | 'last' } | { kind: 'model'; modelId: number; name: string };

/** Parameters of `suggestions.run`: which model (default: the latest run with a checkpoint, its best one), and which images. */
export interface SuggestionsRunParams {
  runId?: number;
  checkpoint?: 'best' | 'last';
  /** An imported model instead of a run. */
  modelId?: number;
  /** `unlabelled` (default) pre-labels; `all` also scores labelled images, for the likely-errors filter. */
  scope?: 'unlabelled' | 'all';
  runtime?: RuntimeChoice;
}

/** The result of a `suggest` job. */
export interface SuggestionsRunResult {
  source: SuggestionSource;
  /** Images the model looked at. */
  images: number;
  /** Suggestions stored (one per readable image). */
  suggested: number;
  /** Suggestions per project class name. */
  perClass: Record<string, number>;
  unreadable: FailedImage[];
  seconds: number;
  runtime: RuntimeReport['runtime'];
}

/** A stored suggestion for one image, as the Label view shows it on the tile. */
export interface Suggestion {
  imageId: number;
  /** The suggested project class by name, and its id now (null when no class of that name exists any more). */
  className: string;
  classId: number | null;
  probability: number;
  margin: number;
  entropy: number;
  /** `rejected` after `suggestions.reject`; accepting only labels the image, the suggestion stays `pending`. */
  status: 'pending' | 'rejected';
  /** Whether the image has a label now (an accepted suggestion, or one given by hand). */
  labelled: boolean;
  source: SuggestionSource;
  createdAt: string;
}

/** Parameters of `suggestions.list`: the ids of a page of the grid. */
export interface SuggestionsListParams {
  imageIds: number[];
}

/** What `suggestions.summary` says: how many suggestions there are and from which model. */
export interface SuggestionsSummary {
  /** Suggestions on images that are still unlabelled and not rejected. */
  pending: number;
  rejected: number;
  /** Pending suggestions per project class name. */
  perClass: Record<string, number>;
  /** The model of the latest suggestions, or null when there are none. */
  source: SuggestionSource | null;
  createdAt: string | null;
}

/** Result of `suggestions.accept` (and of `suggestions.acceptAbove` when not a dry run). */
export interface SuggestionsAcceptResult {
  /** Images whose label the accept set. */
  accepted: number;
  /** Ids without a suggestion, with a rejected one, or whose class no longer exists. */
  skipped: number;
  undo: UndoState;
}

/** Parameters of `suggestions.acceptAbove`: the confidence at or above which pending suggestions on unlabelled images are accepted. */
export interface SuggestionsAcceptAboveParams {
  threshold: number;
  /** Only count what would be accepted (default false). */
  dryRun?: boolean;
}

/** Result of `suggestions.acceptAbove`: counts per class (of what would be, or was, accepted). */
export interface SuggestionsAcceptAboveResult {
  dryRun: boolean;
  threshold: number;
  perClass: { className: string; classId: number | null; count: number }[];
  total: number;
  /** Null on a dry run. */
  accepted: SuggestionsAcceptResult | null;
}

/** Parameters of `models.import`: a model file or folder, and how its classes meet the project's. */
export interface ModelImportParams extends ModelFileHints {
  path: string;
  name?: string;
  /** Model class → project class, for models whose class names differ from the project's. */
  mapClasses?: Record<string, string>;
  /** Copy the model into the project's `models/` folder (default true), or refer to it where it is. */
  copy?: boolean;
}

/** A model imported into the project. */
export interface ImportedModel {
  id: number;
  name: string;
  format: Exclude<PredictModelFormat, 'checkpoint'>;
  /** The model file (inside the project's `models/` folder when copied). */
  path: string;
  copied: boolean;
  /** The model's own classes, in output order. */
  classes: string[];
  /** Model class → project class (every model class; identical names map to themselves). */
  classMap: Record<string, string>;
  preprocessing: PreprocessingSpec;
  assumptions: string[];
  sourcePath: string;
  createdAt: string;
}
