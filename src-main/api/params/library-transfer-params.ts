import { array, bool, int, object, optional, str, type Parser } from '../../base/parse';
import type { FolderBrowseParams } from '../types/folder-browser';
import type { UploadFileParams, UploadStartParams } from '../types/photo-upload';
import { pathParam } from './library-params';

/** `library.browse`: a folder on the server (home when left out). */
export const folderBrowseParams: Parser<FolderBrowseParams> = object({ path: optional(pathParam), showHidden: optional(bool) });

/** `library.uploadStart`: the files a page means to send (relative paths as the browser gives them, sizes). */
export const uploadStartParams: Parser<UploadStartParams> = object({
  files: array(object({ path: str({ nonEmpty: true, maxLength: 4096 }), size: int({ min: 0 }) }), { minItems: 1, maxItems: 100_000 }),
  allowSvg: optional(bool),
});

const uploadId = str({ nonEmpty: true, maxLength: 64 });

/** `library.uploadFile`: one accepted file as base64 (at most 16 MB on the wire, the WebSocket's limit). */
export const uploadFileParams: Parser<UploadFileParams> = object({
  uploadId,
  index: int({ min: 0, max: 100_000 }),
  data: str({ nonEmpty: true, maxLength: 17 * 1024 * 1024 }),
});

/** `library.uploadFinish` and `library.uploadCancel`. */
export const uploadIdParams: Parser<{ uploadId: string }> = object({ uploadId });
