import { mediaUrl as contractMediaUrl, type MediaKind } from '../../../src-main/api/media-url';

export type { MediaKind };

/**
 * URL of an image's thumbnail or original, by id only, built by the contract's media URL
 * module: the `graft-media:` protocol in Electron, the token-protected `/media/` route under
 * `graft serve`.
 */
export function mediaUrl(kind: MediaKind, imageId: number, size?: number, electron = hasBridge()): string {
  return contractMediaUrl({ kind, imageId, ...(kind === 'thumb' && size ? { size } : {}) }, electron ? 'electron' : 'serve');
}

function hasBridge(): boolean {
  return typeof window !== 'undefined' && 'graft' in window;
}
