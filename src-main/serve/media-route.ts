import { MEDIA_ROUTE_PREFIX, mediaErrorReply, parseMediaUrl } from '../api/media-url';
import type { ProjectSession } from '../core/project-session';
import { openMedia } from '../core/library/media-resolver';
import { sendOpenFile } from './send-file';
import type { RouteHandler } from './serve-server';
import { TOKEN_PARAM } from './token';

/**
 * The authenticated `/media/thumb/<id>?size=N`, `/media/display/<id>` and `/media/original/<id>` routes of
 * `graft serve`: image bytes by image id only, parsed by the contract's media URL parser (the
 * one the Electron protocol uses) and opened by the library, never by path.
 */
export function mediaRoute(session: ProjectSession): RouteHandler {
  return async (_request, response, url) => {
    if (!url.pathname.startsWith(MEDIA_ROUTE_PREFIX)) return false;
    try {
      // The access token rides along on a first visit; it is the server's, not part of the media URL.
      const mediaTarget = new URL(url);
      mediaTarget.searchParams.delete(TOKEN_PARAM);
      const media = await openMedia(session.require(), parseMediaUrl(mediaTarget));
      sendOpenFile(response, media.handle, { 'content-type': media.mimeType, 'cache-control': 'private, max-age=300' }, media.size);
    } catch (error) {
      const reply = mediaErrorReply(error);
      response.writeHead(reply.status, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(reply.message);
    }
    return true;
  };
}
