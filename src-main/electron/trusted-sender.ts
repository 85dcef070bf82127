import { APP_HOST, APP_SCHEME } from './app-url';

/** Where the renderer is loaded from: app://graft/ (the built UI), or the dev server in `npm run dev`. */
export interface RendererOrigin {
  devServerUrl: string | null;
}

/**
 * True when an IPC message comes from our own renderer page. Messages from any other
 * frame (a navigated-away page, an injected iframe, a file:// page) are dropped.
 */
export function isTrustedSenderUrl(url: string | undefined, origin: RendererOrigin): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (origin.devServerUrl) {
    try {
      return parsed.origin === new URL(origin.devServerUrl).origin;
    } catch {
      return false;
    }
  }
  // Node gives non-special schemes an opaque origin, so scheme and host are compared themselves.
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && !parsed.username && !parsed.password;
}
