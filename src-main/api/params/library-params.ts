/** Parameter parsers of the library requests: import, browsing, classes, labels, splits. */
import { array, bool, either, int, nullable, num, object, oneOf, optional, positiveInt, str, type Parser } from '../../base/parse';
import type { ImageFolderExportParams, LibraryImportParams } from '../types/jobs';
import { SPLIT_NAMES, type ImageQuery, type SplitFractions, type SplitName } from '../types/library';

/** A path the user typed or picked. */
export const pathParam = str({ nonEmpty: true, maxLength: 4096 });
/** An image, class or other row id. */
export const rowId = positiveInt();
/** A list of image ids (a selection; Ctrl+A on a 100k library is one call). */
export const imageIds = array(rowId, { maxItems: 1_000_000 });
/** A split name. */
export const splitName: Parser<SplitName> = oneOf(SPLIT_NAMES);

/** `library.list` / `library.ids`: the filter and the page. */
export const imageQuery: Parser<ImageQuery> = (value, path) =>
  object({
    classId: optional(rowId),
    unlabelled: optional(bool),
    split: optional(oneOf([...SPLIT_NAMES, 'none'] as const)),
    nameContains: optional(str({ maxLength: 1024 })),
    missing: optional(bool),
    orderBy: optional(oneOf(['path', 'name', 'added', 'uncertainty'] as const)),
    uncertainty: optional(oneOf(['margin', 'entropy'] as const)),
    likelyErrors: optional(bool),
    offset: optional(int({ min: 0 })),
    limit: optional(int({ min: 0 })),
  })(value ?? {}, path);

/** `library.import`: the folder and the import options. */
export const libraryImportParams: Parser<LibraryImportParams> = object({
  folder: pathParam,
  labelsFromSubfolders: optional(bool),
  labelDepth: optional(int()),
  allowSvg: optional(bool),
  maxPixels: optional(int()),
  thumbnails: optional(either(bool, int(), 'true, false or a size in pixels')),
  concurrency: optional(int()),
  batchSize: optional(int()),
  followLinksOutside: optional(bool),
});

/** `labels.exportImageFolder`: the target folder and how to fill it. */
export const imageFolderExportParams: Parser<ImageFolderExportParams> = object({
  dir: pathParam,
  link: optional(bool),
  bySplit: optional(bool),
});

/** `splits.assign`: the three fractions and the seed. */
export const splitAssignParams: Parser<SplitFractions & { seed: number }> = object({
  train: num({ min: 0, max: 1 }),
  validation: num({ min: 0, max: 1 }),
  test: num({ min: 0, max: 1 }),
  seed: int(),
});

/** `splits.pin`: images and the split to pin them to (null unpins). */
export const splitPinParams = object({ imageIds, split: nullable(splitName) });

/** A class name as typed; the library tidies and checks it further. */
export const className = str({ nonEmpty: true, maxLength: 1024 });
/** A colour as `#rrggbb`; the library checks the form. */
export const classColor = str({ nonEmpty: true, maxLength: 64 });
/** A class's hotkey change: a digit key 1–9, or null for none. */
export const classHotkeyParams = object({ classId: rowId, hotkey: nullable(int({ min: 1, max: 9 })) });
