/**
 * The photo library's public surface: what the contract handlers, the CLI and the UI glue
 * call. Everything takes an open Project and returns plain data.
 */
export { importFolder, type ImportIo } from './import-folder';
export type { ImportControl, ImportOptions, ImportProgress, ImportSummary } from '../../api/types/import';
export { getImage, findImageByPath, listImages, listImageIds, libraryCounts, MAX_PAGE_SIZE } from './image-query';
export type { ImagePage, ImageQuery, LibraryCounts } from './image-query';
export { listClasses, createClass, renameClass, recolorClass, reorderClasses, mergeClasses, deleteClass, setClassHotkey } from './classes';
export type { ClassOperationResult } from './classes';
export { assignLabel, removeLabels, type LabelResult } from './labels';
export { undo, redo, undoState, type UndoResult, type UndoState, type LabelOperationKind } from './label-journal';
export { assignSplits, pinSplit, unpinSplit, splitCounts, splitSettings, DEFAULT_SPLIT_FRACTIONS } from './splits';
export type { ClassSplitCounts, SplitCounts, SplitSettings } from './splits';
export type { SplitFractions } from './split-math';
export { exportLabelsCsv, importLabelsCsv, type LabelsCsvExport, type LabelsCsvImport } from './labels-csv';
export { exportImageFolder, type ImageFolderExport, type ImageFolderOptions } from './image-folder-export';
export { getThumbnail, thumbnailPath, DEFAULT_THUMBNAIL_SIZE, THUMBNAIL_SIZE_RANGE } from './thumbnails';
export { openMedia, type OpenedMedia } from './media-resolver';
export * from '../../api/types/library';
