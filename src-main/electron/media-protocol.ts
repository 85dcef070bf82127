import { Readable } from 'node:stream';
import { protocol } from 'electron';
import { MEDIA_SCHEME, mediaErrorReply, parseMediaUrl } from '../api/media-url';
import type { ProjectSession } from '../core/project-session';
import { openMedia } from '../core/library/media-resolver';

/**
 * Serves `graft-media://thumb/<id>`, `graft-media://display/<id>` and `graft-media://original/<id>`:
 * thumbnails, display-size copies and imported originals by image id, parsed by the contract's media URL parser (the one
 * `graft serve` uses) and opened by the library; never an arbitrary path.
 */
export function handleMediaProtocol(session: ProjectSession): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    try {
      const media = await openMedia(session.require(), parseMediaUrl(request.url));
      // Streamed from the file that was checked, never reopened by name; the stream closes it.
      const body = Readable.toWeb(media.handle.createReadStream({ start: 0, end: media.size - 1 })) as ReadableStream<Uint8Array>;
      return new Response(body, { headers: { 'content-type': media.mimeType, 'content-length': String(media.size) } });
    } catch (error) {
      const reply = mediaErrorReply(error);
      return new Response(reply.message, { status: reply.status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    }
  });
}
