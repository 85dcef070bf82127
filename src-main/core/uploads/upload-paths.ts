import type { UploadFileSpec, UploadRefusal } from '../../api/types/photo-upload';
import { hasImageExtension, unsupportedExtensionReason } from '../library/image-formats';
import { MAX_UPLOAD_BYTES, byteSize } from './upload-bytes';

/** How much one upload may hold: per file (the transport's message limit), in total, and in files. */
export interface UploadLimits {
  fileBytes: number;
  totalBytes: number;
  files: number;
}

/** The limits a browser upload runs under unless a test asks for others. */
export const DEFAULT_UPLOAD_LIMITS: UploadLimits = { fileBytes: MAX_UPLOAD_BYTES, totalBytes: 2 * 1024 ** 3, files: 20_000 };

/** Prefix of the temporary files an upload writes before giving them their name; never a name a client may use. */
export const UPLOAD_TEMP_PREFIX = '.graft-upload-';

/** Longest name of one folder or file, in bytes (what common file systems allow). */
const MAX_NAME_BYTES = 255;
const MAX_DEPTH = 32;

/**
 * A relative path sent by a browser as the folder names and file name to write under the
 * photos folder, or why it is refused: no absolute paths, no `.` or `..` parts, no control
 * characters (NUL included), no backslashes (a folder separator on Windows servers), no name
 * longer than file systems allow. Nothing is rewritten, so what lands is what the user sent.
 */
export function uploadPathParts(relative: string): { parts: string[] } | { reason: string } {
  if (relative.length === 0) return { reason: 'has no name' };
  if ([...relative].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return { reason: 'its name holds a control character' };
  if (relative.includes('\\')) return { reason: 'its name holds a backslash' };
  if (relative.startsWith('/') || /^[A-Za-z]:/.test(relative)) return { reason: 'is an absolute path; only paths inside what was dropped are taken' };
  const parts = relative.split('/');
  if (parts.some((part) => part === '..')) return { reason: 'its path climbs out of its folder (..)' };
  if (parts.some((part) => part === '' || part === '.')) return { reason: 'its path has an empty or "." part' };
  if (parts.length > MAX_DEPTH) return { reason: `is more than ${MAX_DEPTH} folders deep` };
  if (parts.some((part) => Buffer.byteLength(part) > MAX_NAME_BYTES)) return { reason: `a name in its path is longer than ${MAX_NAME_BYTES} bytes` };
  if (parts.some((part) => part.startsWith(UPLOAD_TEMP_PREFIX))) return { reason: `names starting with ${UPLOAD_TEMP_PREFIX} are Graft's own` };
  return { parts };
}

/** The files of an upload plan that are sent, with their checked path parts, and those refused. */
export interface CheckedUpload {
  accepted: { index: number; parts: string[]; size: number }[];
  refused: UploadRefusal[];
  bytes: number;
}

/**
 * Checks each file an upload announces: a safe relative path, an extension the import reads,
 * not empty, not over the per-file limit, not listed twice. Files that fail are refused one
 * by one; the caller refuses the whole upload when what remains is over the total limits.
 */
export function checkUploadFiles(files: readonly UploadFileSpec[], allowSvg: boolean, limits: UploadLimits): CheckedUpload {
  const accepted: CheckedUpload['accepted'] = [];
  const refused: UploadRefusal[] = [];
  const seen = new Set<string>();
  let bytes = 0;
  for (const [index, file] of files.entries()) {
    const refuse = (reason: string) => refused.push({ index, path: file.path, reason });
    const checked = uploadPathParts(file.path);
    if ('reason' in checked) {
      refuse(checked.reason);
      continue;
    }
    const name = checked.parts[checked.parts.length - 1]!;
    if (!hasImageExtension(name, allowSvg)) refuse(unsupportedExtensionReason(name));
    else if (file.size === 0) refuse('empty file');
    else if (file.size > limits.fileBytes) {
      refuse(`${byteSize(file.size)}, over the ${byteSize(limits.fileBytes)} a browser may send per file; copy it to the server and import its folder by path`);
    } else {
      const key = checked.parts.join('/');
      if (seen.has(key)) refuse('listed twice in this upload');
      else {
        seen.add(key);
        accepted.push({ index, parts: checked.parts, size: file.size });
        bytes += file.size;
      }
    }
  }
  return { accepted, refused, bytes };
}
