import fs from 'node:fs';
import path from 'node:path';
import { GraftError } from '../../api/errors';
import type { MediaRequest } from '../../api/media-url';
import type { Project } from '../project/project';
import { mimeTypeOf } from './image-formats';
import { getImage } from './image-query';
import { DEFAULT_THUMBNAIL_SIZE, getThumbnail } from './thumbnails';
import { getDisplayRendition, needsDisplayRendition } from './display-rendition';
import { changedSinceImport, isImportedFile, unreadableOriginal } from './imported-original';

/** Image bytes ready to send: the open file (the caller streams it and closes it), its length and type. */
export interface OpenedMedia {
  handle: fs.promises.FileHandle;
  /** Bytes to send: the length checked when the file was opened. */
  size: number;
  mimeType: string;
}

// Non-blocking, so a FIFO put where a photo was cannot hang the open; regular files ignore the flag.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/**
 * Opens the one file a media request may read: the project's own thumbnail or display rendition
 * of that image (a small original is its own rendition), or the original the image row points
 * at while it is still the regular file that was imported.
 * The checks are made on the opened file, so what is checked is what is sent; no request
 * names a path, and the answer is never outside the thumbnail cache or the imported originals.
 */
export async function openMedia(project: Project, request: MediaRequest): Promise<OpenedMedia> {
  if (request.kind === 'thumb') {
    const filePath = await getThumbnail(project, request.imageId, request.size ?? DEFAULT_THUMBNAIL_SIZE);
    const relative = path.relative(project.layout.thumbnails, filePath);
    if (relative.startsWith('..') || path.isAbsolute(relative)) throw new GraftError('internal', 'Thumbnail outside the project cache.');
    const again = `The thumbnail of image ${request.imageId} was removed or damaged while it was sent; load it again.`;
    return openChecked(filePath, 'image/jpeg', (stats) => stats.isFile() && stats.size > 0, { gone: again, changed: again });
  }
  const image = getImage(project, request.imageId);
  if (!image) throw new GraftError('not-found', `Image ${request.imageId} is not in this project.`);
  if (image.missing) throw new GraftError('not-found', `${image.path} is missing. Import its folder again to relink it.`);
  if (request.kind === 'display' && needsDisplayRendition(image)) {
    const filePath = await getDisplayRendition(project, image);
    const again = `The display copy of image ${request.imageId} was removed or damaged while it was sent; open it again.`;
    return openChecked(filePath, 'image/jpeg', (stats) => stats.isFile() && stats.size > 0, { gone: again, changed: again });
  }
  // Size and modification time as the import recorded them: a file swapped for another (or for a
  // link to one) since then is not served, whatever its name says.
  return openChecked(
    image.path,
    mimeTypeOf(image.format),
    (stats) => isImportedFile(stats, image),
    { gone: unreadableOriginal(image).message, changed: changedSinceImport(image).message },
  );
}

/** Opens a file and keeps it open only when what was opened `matches`; else a not-found with the message that fits. */
async function openChecked(
  file: string,
  mimeType: string,
  matches: (stats: fs.Stats) => boolean,
  messages: { gone: string; changed: string },
): Promise<OpenedMedia> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, OPEN_FLAGS);
  } catch {
    throw new GraftError('not-found', messages.gone);
  }
  try {
    const stats = await handle.stat();
    if (!matches(stats)) throw new GraftError('not-found', messages.changed);
    return { handle, size: stats.size, mimeType };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}
