/**
 * Plain-data shapes the photo library hands to the contract, the CLI and the UI.
 * Everything here is JSON-safe: no class instances, no Buffers.
 */

/** The three dataset splits a labelled image can belong to. */
export type SplitName = 'train' | 'validation' | 'test';

/** Every split, in the order the UI lists them. */
export const SPLIT_NAMES: readonly SplitName[] = ['train', 'validation', 'test'];

/** Image formats the library accepts (by decoded content, not by extension). */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif' | 'svg';

/** One imported photo as stored in the library. */
export interface ImageRecord {
  id: number;
  path: string;
  fileName: string;
  size: number;
  mtimeMs: number;
  /** Width and height after EXIF orientation, i.e. as the photo is shown. */
  width: number;
  height: number;
  contentHash: string;
  format: ImageFormat;
  addedAt: string;
  /** True when the file was not found at its path on the last import of its folder. */
  missing: boolean;
}

/** One row of the image grid: the image with its label and split. */
export interface ImageRow {
  id: number;
  path: string;
  fileName: string;
  width: number;
  height: number;
  format: ImageFormat;
  classId: number | null;
  split: SplitName | null;
  pinned: boolean;
  missing: boolean;
  /**
   * Under a model-based view (uncertainty order, likely errors): the class the model suggests
   * or predicts, and the score the view sorts by (margin, entropy, or the loss of the label).
   */
  model?: { className: string; score: number };
}

/**
 * A grid row as the renderer gets it: the row with the URLs of its thumbnail, its display-size
 * picture for the large viewer (at most 2,048 px) and its original (built on the main side).
 */
export interface ImageListItem extends ImageRow {
  thumbUrl: string;
  displayUrl: string;
  originalUrl: string;
}

/** A label class with its image count. */
export interface ClassInfo {
  id: number;
  name: string;
  /** CSS hex colour, `#rrggbb`. */
  color: string;
  sortOrder: number;
  /** The digit key (1–9) that labels with this class; null when it has none (then the class picker does). */
  hotkey: number | null;
  imageCount: number;
}

/** A file the import passed over, with a reason the user can read. */
export interface SkippedFile {
  path: string;
  reason: string;
}

/** A file whose bytes are already in the library under another path. */
export interface DuplicateFile {
  path: string;
  duplicateOf: string;
}

/** A filter and a page of the image grid. Filters combine with AND. */
export interface ImageQuery {
  /** Only images labelled with this class. */
  classId?: number;
  /** Only images without a label (cannot be combined with `classId`). */
  unlabelled?: boolean;
  /** Only images in this split, or with none. */
  split?: SplitName | 'none';
  /** Case-insensitive substring of the file name. */
  nameContains?: string;
  /** Only missing images (true) or only present ones (false); both when absent. */
  missing?: boolean;
  /**
   * Sort key; every order ends with the image id so pages never shuffle. `uncertainty`: only
   * unlabelled images a model left a suggestion on, least certain first ("most useful to label next").
   */
  orderBy?: 'path' | 'name' | 'added' | 'uncertainty';
  /** How `orderBy: 'uncertainty'` measures it: the smallest margin between the top two classes (default), or the highest entropy. */
  uncertainty?: 'margin' | 'entropy';
  /**
   * Only labelled images whose label the latest evaluation or prediction strongly disagrees with
   * (it predicts another class and gives the label at most 0.2); highest loss first unless `orderBy` is given.
   */
  likelyErrors?: boolean;
  offset?: number;
  limit?: number;
}

/** One page of the grid and the number of images that match in total. */
export interface ImagePage<Item = ImageListItem> {
  total: number;
  offset: number;
  items: Item[];
}

/** Totals for the library sidebar. */
export interface LibraryCounts {
  total: number;
  labelled: number;
  unlabelled: number;
  missing: number;
  /** Images per class id (classes with no images are absent). */
  perClass: Record<number, number>;
}

/** The kinds of label operation the journal records. */
export type LabelOperationKind =
  | 'assign'
  | 'unlabel'
  | 'class-create'
  | 'class-rename'
  | 'class-recolor'
  | 'class-reorder'
  | 'class-hotkey'
  | 'class-merge'
  | 'class-delete'
  | 'labels-import';

/** What undo and redo would do next, for the Edit menu. */
export interface UndoState {
  canUndo: boolean;
  canRedo: boolean;
  /** Words for "Undo …" / "Redo …", e.g. 'label 120 images as "cat"'. */
  undoSummary: string | null;
  redoSummary: string | null;
}

/** Result of one undo or redo. */
export interface UndoResult {
  kind: LabelOperationKind;
  summary: string;
  /** Images whose label changed. */
  imagesChanged: number;
  state: UndoState;
}

/** Result of a label operation, with what undo would do next. */
export interface LabelResult {
  /** Images whose label actually changed (already-labelled ones are not counted). */
  changed: number;
  /** Ids given that are not images of this project. */
  unknown: number;
  undo: UndoState;
}

/** Result of a class operation, with what undo would do next. */
export interface ClassOperationResult {
  classId: number;
  /** Images whose label the operation changed. */
  imagesChanged: number;
  undo: UndoState;
}

/** Fractions of each class that go to each split; they sum to 1. */
export interface SplitFractions {
  train: number;
  validation: number;
  test: number;
}

/** How splits were last assigned. */
export interface SplitSettings extends SplitFractions {
  seed: number;
  assignedAt: string;
}

/** Split counts for one class (`none`: labelled images with no split yet). */
export interface ClassSplitCounts {
  classId: number;
  name: string;
  train: number;
  validation: number;
  test: number;
  none: number;
}

/** Per-class split counts and their totals. */
export interface SplitCounts {
  perClass: ClassSplitCounts[];
  totals: Record<SplitName | 'none', number>;
}

/** What a labels CSV export wrote. */
export interface LabelsCsvExport {
  file: string;
  rows: number;
  labelled: number;
}

/** What a labels CSV import changed, and which rows it could not use. */
export interface LabelsCsvImport {
  rows: number;
  matched: number;
  /** Images whose label changed. */
  labelsChanged: number;
  /** Images the CSV put in a split (pinned there; undo takes the pins back). */
  splitsSet: number;
  createdClasses: string[];
  /** Paths in the CSV that are not images of this project. */
  unknownPaths: string[];
  /** Rows that could not be read, with why. */
  invalidRows: { line: number; reason: string }[];
}

/** How an ImageFolder export lays out and links files. */
export interface ImageFolderOptions {
  /** Symlink to the originals instead of copying them (fast, no extra disk; breaks if they move). */
  link?: boolean;
  /** Put `train/`, `validation/`, `test/` on top of the class folders (images without a split are left out). */
  bySplit?: boolean;
}

/** Progress of an ImageFolder export: files copied or linked (or failed) so far, of those to write. */
export interface ImageFolderProgress {
  done: number;
  total: number;
  /** Files written per second over the last few seconds. */
  imagesPerSecond: number;
  /** Seconds left at the current rate; null until a rate is known or after a cancel. */
  etaSeconds: number | null;
}

/** Cancellation and progress hooks for a running ImageFolder export. */
export interface ImageFolderControl {
  signal?: AbortSignal;
  onProgress?: (progress: ImageFolderProgress) => void;
}

/** What an ImageFolder export wrote. */
export interface ImageFolderExport {
  dir: string;
  exported: number;
  skipped: SkippedFile[];
  /** Stopped by its signal: the files written before the cancel stay in `dir`; the rest were not written. */
  cancelled: boolean;
}
