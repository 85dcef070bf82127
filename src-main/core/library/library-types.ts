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
export interface ImageListItem {
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
}

/** A label class with its image count. */
export interface ClassInfo {
  id: number;
  name: string;
  /** CSS hex colour, `#rrggbb`. */
  color: string;
  sortOrder: number;
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
