import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { GraftError } from '../api/errors';
import type { ProjectSession } from '../core/project-session';
import { MEDIA_SCHEME, parseMediaUrl, resolveMediaRequest } from '../core/library/media-resolver';

/** Declares the media scheme before the app is ready, as Electron requires. */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/**
 * Serves `graft-media://thumb/<id>` and `graft-media://original/<id>`: thumbnails and
 * imported originals by image id, through the library's resolver; never an arbitrary path.
 */
export function handleMediaProtocol(session: ProjectSession): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    try {
      const media = await resolveMediaRequest(session.require(), parseMediaUrl(request.url));
      const file = await net.fetch(pathToFileURL(media.filePath).href);
      return new Response(file.body, { headers: { 'content-type': media.mimeType } });
    } catch (error) {
      const status = error instanceof GraftError && error.code === 'not-found' ? 404 : 400;
      return new Response((error as Error).message, { status });
    }
  });
}
