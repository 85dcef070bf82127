/** Which image bytes a cell or the viewer shows. */
export type MediaKind = 'thumb' | 'original';

/**
 * URL of an image's thumbnail or original, by id only: the `graft-media:` protocol in
 * Electron, the token-protected `/media/` route under `graft serve`.
 */
export function mediaUrl(kind: MediaKind, imageId: number, size?: number, electron = hasBridge()): string {
  const query = kind === 'thumb' && size ? `?size=${size}` : '';
  return electron ? `graft-media://${kind}/${imageId}${query}` : `/media/${kind}/${imageId}${query}`;
}

function hasBridge(): boolean {
  return typeof window !== 'undefined' && 'graft' in window;
}
