import { GraftError } from './errors';

/**
 * The `graft serve` route that sends an export folder as a zip:
 * `/download/export/<folder>.zip`, where `<folder>` is the name of an export directly inside
 * the project's `exports/` folder — a name, never a path.
 */
export const EXPORT_DOWNLOAD_PREFIX = '/download/export/';

// One path segment of ordinary characters: no separators, no dot-only names, no control characters.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[/\\\u0000-\u001f\u007f]/;

/** Whether `name` can be an export folder's name in a download URL. */
function isFolderName(name: string): boolean {
  return name.length > 0 && name.length <= 255 && !UNSAFE.test(name) && name !== '.' && name !== '..';
}

/** The download URL of the export folder named `folder` (inside the project's exports). */
export function exportDownloadUrl(folder: string): string {
  if (!isFolderName(folder)) throw new GraftError('bad-request', `"${folder}" cannot be downloaded: only folders directly inside the project's exports can.`);
  return `${EXPORT_DOWNLOAD_PREFIX}${encodeURIComponent(folder)}.zip`;
}

/** The folder name a download URL path names; throws a bad-request GraftError for anything else. */
export function parseExportDownloadPath(pathname: string): string {
  const usage = `Export downloads look like ${EXPORT_DOWNLOAD_PREFIX}<export folder>.zip.`;
  if (!pathname.startsWith(EXPORT_DOWNLOAD_PREFIX) || !pathname.endsWith('.zip')) throw new GraftError('bad-request', usage);
  let folder: string;
  try {
    folder = decodeURIComponent(pathname.slice(EXPORT_DOWNLOAD_PREFIX.length, -'.zip'.length));
  } catch {
    throw new GraftError('bad-request', usage);
  }
  if (!isFolderName(folder)) throw new GraftError('bad-request', usage);
  return folder;
}
