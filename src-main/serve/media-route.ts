import { GraftError } from '../api/errors';
import type { ProjectSession } from '../core/project-session';
import { resolveMediaRequest } from '../core/library/media-resolver';
import { sendFile } from './send-file';
import type { RouteHandler } from './serve-server';

const MEDIA_PATH = /^\/media\/(thumb|original)\/(\d{1,15})$/;

const STATUS: Partial<Record<string, number>> = { 'bad-request': 400, 'not-found': 404, 'not-a-project': 409 };

/**
 * The authenticated `/media/thumb/<id>?size=N` and `/media/original/<id>` routes of
 * `graft serve`: image bytes by image id only, resolved by the library, never by path.
 */
export function mediaRoute(session: ProjectSession): RouteHandler {
  return async (_request, response, url) => {
    const match = MEDIA_PATH.exec(url.pathname);
    if (!match) return false;
    const kind = match[1] as 'thumb' | 'original';
    const size = url.searchParams.get('size');
    try {
      const media = await resolveMediaRequest(session.require(), {
        kind,
        imageId: Number(match[2]),
        ...(size !== null && kind === 'thumb' ? { size: Number(size) } : {}),
      });
      await sendFile(response, media.filePath, { 'content-type': media.mimeType, 'cache-control': 'private, max-age=300' });
    } catch (error) {
      const code = error instanceof GraftError ? error.code : 'internal';
      response.writeHead(STATUS[code] ?? 500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end((error as Error).message);
    }
    return true;
  };
}
