import { GraftError, toApiError, type ErrorCode } from './errors';

/**
 * Which image bytes a grid cell or the viewer shows: a thumbnail, the picture at display size
 * (at most 2,048 px on its long side; the original itself when it is that small), or the original.
 */
export type MediaKind = 'thumb' | 'display' | 'original';

const MEDIA_KINDS: readonly string[] = ['thumb', 'display', 'original'];

/** A request for image bytes: never a path, only which image and what of it. */
export interface MediaRequest {
  kind: MediaKind;
  imageId: number;
  /** Thumbnail edge in pixels (thumbs only; the default size when left out). */
  size?: number;
}

/** How the renderer reaches media: the Electron protocol, or the route of `graft serve`. */
export type MediaTransport = 'electron' | 'serve';

/** URL scheme the Electron glue registers for media: `graft-media://thumb/42?size=256`. */
export const MEDIA_SCHEME = 'graft-media';

/** Path prefix of the media route of `graft serve`: `/media/thumb/42?size=256`. */
export const MEDIA_ROUTE_PREFIX = '/media/';

/** Smallest and largest thumbnail edges served, so requests cannot fill the disk with sizes. */
export const THUMBNAIL_SIZE_RANGE = { min: 16, max: 1024 } as const;

// Digits only, no leading zero: one spelling per request (`1e3`, `0x10`, `+5`, ` 7` are refused).
const IMAGE_ID = /^[1-9]\d{0,14}$/;
const SIZE = /^[1-9]\d{0,3}$/;
const ROUTE_PATH = /^\/media\/([^/]*)\/([^/]*)$/;
const SCHEME_PATH = /^\/([^/]*)$/;

const USAGE =
  `Media URLs look like ${MEDIA_SCHEME}://thumb/<image id>?size=<pixels>, ${MEDIA_SCHEME}://display/<image id> or ${MEDIA_SCHEME}://original/<image id> ` +
  `(under graft serve: ${MEDIA_ROUTE_PREFIX}thumb/<image id>?size=<pixels>).`;

/** Checks a thumbnail size, failing with a message that names the allowed range. */
export function checkThumbnailSize(size: unknown): number {
  const { min, max } = THUMBNAIL_SIZE_RANGE;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < min || size > max) {
    throw new GraftError('bad-request', `Thumbnail size must be a whole number of pixels from ${min} to ${max}.`);
  }
  return size;
}

function badUrl(detail?: string): GraftError {
  return new GraftError('bad-request', detail ? `${detail} ${USAGE}` : USAGE);
}

/** The URL the renderer puts in an `<img>` for a media request. */
export function mediaUrl(request: MediaRequest, transport: MediaTransport): string {
  if (!IMAGE_ID.test(String(request.imageId))) throw badUrl('Image ids are whole numbers.');
  if (request.size !== undefined && request.kind !== 'thumb') throw badUrl('Originals and display copies have no size; only thumbnails do.');
  const query = request.size === undefined ? '' : `?size=${checkThumbnailSize(request.size)}`;
  return transport === 'electron'
    ? `${MEDIA_SCHEME}://${request.kind}/${request.imageId}${query}`
    : `${MEDIA_ROUTE_PREFIX}${request.kind}/${request.imageId}${query}`;
}

/**
 * Parses a media URL strictly, in either form — `graft-media://<kind>/<id>[?size=n]` (Electron)
 * or `/media/<kind>/<id>[?size=n]` (serve) — so both transports accept exactly the same
 * requests. Ids and sizes are digits only and bounded; any other path, parameter, user, port
 * or fragment is refused with a `bad-request` GraftError.
 */
export function parseMediaUrl(url: string | URL): MediaRequest {
  let parsed: URL;
  try {
    // A relative string is a serve route; the base only makes it parseable.
    parsed = typeof url === 'string' ? new URL(url, 'http://localhost') : url;
  } catch {
    throw badUrl('Not a URL.');
  }
  let kind: string | undefined;
  let id: string | undefined;
  if (parsed.protocol === `${MEDIA_SCHEME}:`) {
    if (!parsed.username && !parsed.password && !parsed.port) {
      kind = parsed.hostname;
      id = SCHEME_PATH.exec(parsed.pathname)?.[1];
    }
  } else if (parsed.protocol === 'http:' || parsed.protocol === 'https:') {
    [, kind, id] = ROUTE_PATH.exec(parsed.pathname) ?? [];
  }
  if (kind === undefined || id === undefined || parsed.hash) throw badUrl();
  if (!MEDIA_KINDS.includes(kind)) throw badUrl('The kind of media is thumb, display or original.');
  if (!IMAGE_ID.test(id)) throw badUrl('Image ids are whole numbers.');
  const request: MediaRequest = { kind: kind as MediaKind, imageId: Number(id) };
  for (const [name, value] of parsed.searchParams) {
    if (name !== 'size' || kind !== 'thumb' || request.size !== undefined) {
      throw badUrl('Only a thumbnail takes a parameter, and only one size.');
    }
    if (!SIZE.test(value)) throw badUrl('A thumbnail size is written in digits only.');
    request.size = checkThumbnailSize(Number(value));
  }
  return request;
}

const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  'bad-request': 400,
  'not-found': 404,
  'not-a-project': 409,
  'project-exists': 409,
  'schema-too-new': 409,
  cancelled: 503,
  'engine-crashed': 503,
  'engine-unavailable': 503,
  io: 500,
  internal: 500,
};

/** The HTTP status and the text a failed media request answers with, the same under Electron and serve. */
export function mediaErrorReply(error: unknown): { status: number; message: string } {
  const { code, message } = toApiError(error);
  return { status: HTTP_STATUS[code], message };
}
