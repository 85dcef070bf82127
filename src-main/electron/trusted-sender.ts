/** Where the renderer is loaded from: the built file, or the dev server in `npm run dev`. */
export interface RendererOrigin {
  fileUrl: string | null;
  devServerUrl: string | null;
}

/**
 * True when an IPC message comes from our own renderer page. Messages from any other
 * frame (a navigated-away page, an injected iframe) are dropped.
 */
export function isTrustedSenderUrl(url: string | undefined, origin: RendererOrigin): boolean {
  if (!url) return false;
  if (origin.fileUrl && (url === origin.fileUrl || url.startsWith(origin.fileUrl + '#'))) return true;
  if (origin.devServerUrl) {
    try {
      return new URL(url).origin === new URL(origin.devServerUrl).origin;
    } catch {
      return false;
    }
  }
  return false;
}
