import fs from 'node:fs';
import path from 'node:path';
import { GraftError } from '../../api/errors';
import type { Project } from '../project/project';
import type { ProjectLayout } from '../project/project-layout';
import { DEFAULT_MAX_PIXELS } from './image-probe';
import { getImage } from './image-query';
import { defaultDecodeConcurrency, Semaphore } from '../../base/semaphore';
import { removeStaleTempFiles, writeFileAtomic } from '../../base/atomic-write';
import { checkThumbnailSize } from '../../api/media-url';
import { renderThumbnail } from './thumbnail-render';
import { ImageSourceRefusal, openImageSource, type ImageSource } from '../../base/image-source';
import { changedSinceImport, checkImportedOriginal, type ImportedOriginal } from './imported-original';
import { projectResource } from '../project/project-resources';

export { checkThumbnailSize, THUMBNAIL_SIZE_RANGE } from '../../api/media-url';

/** The thumbnail edge the grid asks for unless told otherwise. */
export const DEFAULT_THUMBNAIL_SIZE = 256;

/**
 * Where the thumbnail of some content at some size lives. Keyed by content hash, so a
 * relinked (moved) photo keeps its thumbnail and an edited one gets a fresh one.
 */
export function thumbnailPath(layout: ProjectLayout, contentHash: string, size: number): string {
  if (!/^[0-9a-f]{16,128}$/.test(contentHash)) throw new Error(`Not a content hash: ${contentHash}`);
  return path.join(layout.thumbnails, String(size), contentHash.slice(0, 2), `${contentHash}.jpg`);
}

/** The project's thumbnail work: a bounded decode queue and the renders in flight, shared by every request. */
class ThumbnailQueue {
  // The grid asks for a screenful at once; decode them as fast as the CPUs allow, no faster.
  readonly semaphore = new Semaphore(defaultDecodeConcurrency());
  readonly inflight = new Map<string, Promise<string>>();

  constructor(project: Project) {
    // First use of the cache since the project opened: drop what a killed writer left half-done.
    // In the background: a cache of 100,000 files takes a moment to list, and nothing waits on it.
    void removeStaleTempFiles(project.layout.thumbnails).catch(() => undefined);
  }

  /** Renders in flight finish on their own (each writes atomically); nothing new starts. */
  dispose(): void {
    this.inflight.clear();
  }
}

/** The thumbnail queue of an open project, owned by the project. */
const THUMBNAIL_QUEUE = projectResource('thumbnail queue', (project: Project) => new ThumbnailQueue(project));

/**
 * Returns the file path of an image's thumbnail, making it first if it is not cached.
 * Concurrent requests for the same thumbnail get the same promise: one decode, one write.
 */
export function getThumbnail(project: Project, imageId: number, size: number = DEFAULT_THUMBNAIL_SIZE): Promise<string> {
  let file: string;
  let original: ImportedOriginal;
  try {
    checkThumbnailSize(size);
    const image = getImage(project, imageId);
    if (!image) throw new GraftError('not-found', `Image ${imageId} is not in this project.`);
    file = thumbnailPath(project.layout, image.contentHash, size);
    original = image;
  } catch (error) {
    return Promise.reject(error);
  }
  const queue = project.resources.get(THUMBNAIL_QUEUE);
  const pending = queue.inflight.get(file);
  if (pending) return pending;
  // Registered before the first await, so a second request in the same tick joins this one.
  const made = ensureThumbnail(queue, file, original, size).finally(() => queue.inflight.delete(file));
  queue.inflight.set(file, made);
  return made;
}

async function ensureThumbnail(queue: ThumbnailQueue, file: string, original: ImportedOriginal, size: number): Promise<string> {
  if (await exists(file)) return file;
  return queue.semaphore.run(async () => {
    await writeFileAtomic(file, await renderFromOriginal(original, size));
    return file;
  });
}

function cannotMake(original: string, reason: string): GraftError {
  return new GraftError(
    'not-found',
    `Cannot make a thumbnail for ${original}: ${reason}. The file may have been moved, deleted, replaced or damaged; import its folder again to relink it.`,
  );
}

/**
 * Decodes the original through base/image-source: only the regular file that was checked is read,
 * so an original replaced by a FIFO or a device is refused at once instead of holding a decode
 * slot (and the request) forever.
 */
async function renderFromOriginal(original: ImportedOriginal, size: number): Promise<Buffer> {
  let source: ImageSource;
  try {
    source = await openImageSource(original.path);
  } catch (error) {
    if (error instanceof ImageSourceRefusal) throw cannotMake(original.path, error.message);
    throw error;
  }
  try {
    // Kept under the imported content's hash: an original edited since would put other pixels there.
    if (source.size !== original.size) throw changedSinceImport(original);
    await checkImportedOriginal(original);
    return await renderThumbnail(source.input, size, DEFAULT_MAX_PIXELS);
  } catch (error) {
    if (error instanceof GraftError) throw error;
    throw cannotMake(original.path, (error as Error).message.split('\n')[0] ?? 'it cannot be decoded');
  } finally {
    await source.close();
  }
}

/** True for a cached thumbnail worth serving: an empty file is what a power cut left of an unflushed write. */
async function exists(file: string): Promise<boolean> {
  try {
    const stats = await fs.promises.stat(file);
    return stats.isFile() && stats.size > 0;
  } catch {
    return false;
  }
}
