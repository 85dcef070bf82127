/**
 * The table of parameter parsers, one per request of the contract: every transport's call is
 * checked here once, before a handler runs, so handlers receive typed, checked data.
 */
import { array, nothing, object, optional, str, type Parser } from '../../base/parse';
import type { ParamsOf, RequestName } from '../contract';
import { jobIdParams, selfTestParams } from './jobs-params';
import {
  className,
  classColor,
  classHotkeyParams,
  imageFolderExportParams,
  imageIds,
  imageQuery,
  libraryImportParams,
  pathParam,
  rowId,
  splitAssignParams,
  splitPinParams,
} from './library-params';
import { folderBrowseParams, uploadFileParams, uploadIdParams, uploadStartParams } from './library-transfer-params';
import { downloadWeightsParams, modelSummaryParams, weightsStatusParams } from './models-params';
import {
  modelImportParams,
  predictFilesParams,
  predictUploadParams,
  suggestionImageIds,
  suggestionsAcceptAboveParams,
  suggestionsRunParams,
} from './predict-params';
import { augmentPreviewParams, evaluateParams, exportParams, gradCamParams, lrFinderRequest, predictionQuery, runId, trainingStartParams } from './training-params';

/** For each request, the parser of its parameters. Its type fails to compile when a request is missing. */
export const REQUEST_PARAMS: { readonly [N in RequestName]: Parser<ParamsOf<N>> } = {
  'app.info': nothing,
  'project.current': nothing,
  'project.open': object({ dir: pathParam }),
  'project.create': object({ dir: pathParam }),
  'project.pickFolder': nothing,
  'engine.status': nothing,
  'engine.restart': nothing,
  'engine.selfTest': selfTestParams,
  'jobs.list': nothing,
  'jobs.get': jobIdParams,
  'jobs.cancel': jobIdParams,
  'jobs.pause': jobIdParams,
  'jobs.resume': jobIdParams,
  'models.list': nothing,
  'models.summary': modelSummaryParams,
  'models.download': downloadWeightsParams,
  'models.weightsStatus': weightsStatusParams,
  'library.import': libraryImportParams,
  'library.list': imageQuery,
  'library.ids': imageQuery,
  'library.counts': nothing,
  'library.image': object({ imageId: rowId }),
  'library.browse': folderBrowseParams,
  'library.uploadStart': uploadStartParams,
  'library.uploadFile': uploadFileParams,
  'library.uploadFinish': uploadIdParams,
  'library.uploadCancel': uploadIdParams,
  'classes.list': nothing,
  'classes.create': object({ name: className, color: optional(classColor) }),
  'classes.rename': object({ classId: rowId, name: className }),
  'classes.recolor': object({ classId: rowId, color: classColor }),
  'classes.reorder': object({ classIds: array(rowId, { maxItems: 100_000 }) }),
  'classes.merge': object({ sourceIds: array(rowId, { minItems: 1, maxItems: 100_000 }), targetId: rowId }),
  'classes.delete': object({ classId: rowId }),
  'classes.setHotkey': classHotkeyParams,
  'labels.assign': object({ imageIds, classId: rowId }),
  'labels.remove': object({ imageIds }),
  'labels.undo': nothing,
  'labels.redo': nothing,
  'labels.undoState': nothing,
  'labels.exportCsv': object({ file: pathParam }),
  'labels.importCsv': object({ file: pathParam }),
  'labels.exportImageFolder': imageFolderExportParams,
  'splits.assign': splitAssignParams,
  'splits.pin': splitPinParams,
  'splits.summary': nothing,
  'training.start': trainingStartParams,
  'training.resume': object({ runId }),
  'training.lrFind': lrFinderRequest,
  'runs.list': nothing,
  'runs.get': object({ runId }),
  'runs.rename': object({ runId, name: str({ nonEmpty: true, maxLength: 200 }) }),
  'runs.delete': object({ runId }),
  'runs.evaluate': evaluateParams,
  'runs.predictions': predictionQuery,
  'runs.gradCam': gradCamParams,
  'runs.export': exportParams,
  'training.check': nothing,
  'training.lastConfig': nothing,
  'training.augmentPreview': augmentPreviewParams,
  'predict.files': predictFilesParams,
  'predict.upload': predictUploadParams,
  'suggestions.run': suggestionsRunParams,
  'suggestions.list': suggestionImageIds,
  'suggestions.summary': nothing,
  'suggestions.accept': suggestionImageIds,
  'suggestions.reject': suggestionImageIds,
  'suggestions.acceptAbove': suggestionsAcceptAboveParams,
  'models.import': modelImportParams,
  'models.imported': nothing,
  'models.removeImported': object({ modelId: rowId }),
};

/** Tells whether a string names a request. */
export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.hasOwn(REQUEST_PARAMS, name);
}
