import fs from 'node:fs';
import path from 'node:path';
import { GraftError } from '../../api/errors';
import type { Project } from '../project/project';
import { mimeTypeOf } from './image-formats';
import { getImage } from './image-query';
import { checkThumbnailSize, DEFAULT_THUMBNAIL_SIZE, getThumbnail } from './thumbnails';

/** A request for image bytes from the UI: never a path, only what and which image. */
export interface MediaRequest {
  kind: 'thumb' | 'original';
  imageId: number;
  /** Thumbnail edge in pixels (thumbs only). */
  size?: number;
}

/** The file to serve for a media request. */
export interface ResolvedMedia {
  filePath: string;
  mimeType: string;
}

/** URL scheme the glue registers for media (e.g. `graft-media://thumb/42?size=256`). */
export const MEDIA_SCHEME = 'graft-media';

/**
 * Parses a media URL into a request, refusing anything else: `graft-media://thumb/<id>[?size=n]`
 * or `graft-media://original/<id>`. Paths, `..`, extra segments and other schemes fail.
 */
export function parseMediaUrl(url: string): MediaRequest {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new GraftError('bad-request', 'Not a media URL.');
  }
  const match = /^\/(\d{1,15})$/.exec(parsed.pathname);
  if (parsed.protocol !== `${MEDIA_SCHEME}:` || (parsed.hostname !== 'thumb' && parsed.hostname !== 'original') || !match) {
    throw new GraftError('bad-request', `Media URLs look like ${MEDIA_SCHEME}://thumb/<image id> or ${MEDIA_SCHEME}://original/<image id>.`);
  }
  const request: MediaRequest = { kind: parsed.hostname, imageId: Number(match[1]) };
  const size = parsed.searchParams.get('size');
  if (size !== null) request.size = /^\d{1,5}$/.test(size) ? Number(size) : Number.NaN;
  return request;
}

/**
 * Maps a media request to the one file it may read: the project's own thumbnail of that
 * image, or the original the image row points at. Requests come from the renderer, so every
 * field is checked here; no request names a path, and the answer is never outside the
 * thumbnail cache or the set of imported originals.
 */
export async function resolveMediaRequest(project: Project, request: unknown): Promise<ResolvedMedia> {
  const { kind, imageId, size } = checkRequest(request);
  if (kind === 'thumb') {
    const filePath = await getThumbnail(project, imageId, size ?? DEFAULT_THUMBNAIL_SIZE);
    const relative = path.relative(project.layout.thumbnails, filePath);
    if (relative.startsWith('..') || path.isAbsolute(relative)) throw new GraftError('internal', 'Thumbnail outside the project cache.');
    return { filePath, mimeType: 'image/jpeg' };
  }
  const image = getImage(project, imageId);
  if (!image) throw new GraftError('not-found', `Image ${imageId} is not in this project.`);
  if (image.missing) throw new GraftError('not-found', `${image.path} is missing. Import its folder again to relink it.`);
  let stats: fs.Stats;
  try {
    stats = await fs.promises.stat(image.path);
  } catch {
    throw new GraftError('not-found', `${image.path} cannot be read any more. Import its folder again to relink it.`);
  }
  if (!stats.isFile()) throw new GraftError('not-found', `${image.path} is no longer a file.`);
  return { filePath: image.path, mimeType: mimeTypeOf(image.format) };
}

function checkRequest(request: unknown): MediaRequest {
  if (typeof request !== 'object' || request === null) throw new GraftError('bad-request', 'A media request must be an object.');
  const { kind, imageId, size } = request as Record<string, unknown>;
  const extra = Object.keys(request).filter((key) => key !== 'kind' && key !== 'imageId' && key !== 'size');
  if (extra.length > 0) throw new GraftError('bad-request', `Media requests take only kind, imageId and size (got ${extra.join(', ')}).`);
  if (kind !== 'thumb' && kind !== 'original') throw new GraftError('bad-request', 'Media kind must be "thumb" or "original".');
  if (typeof imageId !== 'number' || !Number.isSafeInteger(imageId) || imageId < 1) {
    throw new GraftError('bad-request', 'Media requests need a positive whole image id.');
  }
  if (size !== undefined && kind === 'original') throw new GraftError('bad-request', 'Originals have no size option.');
  return { kind, imageId, size: size === undefined ? undefined : checkThumbnailSize(size) };
}
