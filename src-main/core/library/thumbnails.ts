import fs from 'node:fs';
import path from 'node:path';
import { GraftError } from '../../api/errors';
import type { Project } from '../project/project';
import type { ProjectLayout } from '../project/project-layout';
import { DEFAULT_MAX_PIXELS } from './image-probe';
import { getImage } from './image-query';
import { defaultDecodeConcurrency, Semaphore } from '../../base/semaphore';
import { renderThumbnail, writeFileAtomic } from './thumbnail-render';

/** The thumbnail edge the grid asks for unless told otherwise. */
export const DEFAULT_THUMBNAIL_SIZE = 256;

/** Smallest and largest thumbnail edges served, so requests cannot fill the disk with sizes. */
export const THUMBNAIL_SIZE_RANGE = { min: 16, max: 1024 } as const;

/**
 * Where the thumbnail of some content at some size lives. Keyed by content hash, so a
 * relinked (moved) photo keeps its thumbnail and an edited one gets a fresh one.
 */
export function thumbnailPath(layout: ProjectLayout, contentHash: string, size: number): string {
  if (!/^[0-9a-f]{16,128}$/.test(contentHash)) throw new Error(`Not a content hash: ${contentHash}`);
  return path.join(layout.thumbnails, String(size), contentHash.slice(0, 2), `${contentHash}.jpg`);
}

/** Checks a requested thumbnail size, failing with a message that names the allowed range. */
export function checkThumbnailSize(size: unknown): number {
  const { min, max } = THUMBNAIL_SIZE_RANGE;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < min || size > max) {
    throw new GraftError('bad-request', `Thumbnail size must be a whole number of pixels from ${min} to ${max}.`);
  }
  return size;
}

interface ThumbnailQueue {
  semaphore: Semaphore;
  inflight: Map<string, Promise<string>>;
}

// Per open project, so closing a project drops its queue with it.
const queues = new WeakMap<Project, ThumbnailQueue>();

function queueFor(project: Project): ThumbnailQueue {
  let queue = queues.get(project);
  if (!queue) {
    // The grid asks for a screenful at once; decode them as fast as the CPUs allow, no faster.
    queue = { semaphore: new Semaphore(defaultDecodeConcurrency()), inflight: new Map() };
    queues.set(project, queue);
  }
  return queue;
}

/**
 * Returns the file path of an image's thumbnail, making it first if it is not cached.
 * Concurrent requests for the same thumbnail get the same promise: one decode, one write.
 */
export function getThumbnail(project: Project, imageId: number, size: number = DEFAULT_THUMBNAIL_SIZE): Promise<string> {
  let file: string;
  let original: string;
  try {
    checkThumbnailSize(size);
    const image = getImage(project, imageId);
    if (!image) throw new GraftError('not-found', `Image ${imageId} is not in this project.`);
    file = thumbnailPath(project.layout, image.contentHash, size);
    original = image.path;
  } catch (error) {
    return Promise.reject(error);
  }
  const queue = queueFor(project);
  const pending = queue.inflight.get(file);
  if (pending) return pending;
  // Registered before the first await, so a second request in the same tick joins this one.
  const made = ensureThumbnail(queue, file, original, size).finally(() => queue.inflight.delete(file));
  queue.inflight.set(file, made);
  return made;
}

async function ensureThumbnail(queue: ThumbnailQueue, file: string, original: string, size: number): Promise<string> {
  if (await exists(file)) return file;
  return queue.semaphore.run(async () => {
    let data: Buffer;
    try {
      data = await renderThumbnail(original, size, DEFAULT_MAX_PIXELS);
    } catch (error) {
      throw new GraftError(
        'not-found',
        `Cannot make a thumbnail for ${original}: ${(error as Error).message.split('\n')[0]}. ` +
          'The file may have been moved, deleted or damaged; import its folder again to relink it.',
      );
    }
    await writeFileAtomic(file, data);
    return file;
  });
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.promises.access(file);
    return true;
  } catch {
    return false;
  }
}
