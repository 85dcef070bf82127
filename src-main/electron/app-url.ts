import path from 'node:path';

/** The custom scheme the desktop UI is loaded from, instead of file:// (Electron security checklist 18). */
export const APP_SCHEME = 'app';
/** Its one host: the built renderer. */
export const APP_HOST = 'graft';
/** The page the window opens. */
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * The file inside `rendererDir` an `app://graft/…` URL names, or null for anything else:
 * another scheme or host, credentials, a path that is not valid percent-encoding, or one
 * that climbs out of the folder (`..`, encoded slashes or backslashes, NUL). `/` is index.html.
 */
export function resolveAppFile(rendererDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username || url.password) return null;
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  // The URL parser already folded "." and ".." segments; what is left must be plain names.
  if (/[\\\0]/.test(relative) || relative.split('/').some((part) => part === '..' || part === '.')) return null;
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, '.' + (relative === '/' ? '/index.html' : relative));
  return file.startsWith(root + path.sep) ? file : null;
}
