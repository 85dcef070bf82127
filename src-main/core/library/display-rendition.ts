import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { GraftError } from '../../api/errors';
import type { ImageRecord } from '../../api/types/library';
import { removeStaleTempFiles, writeFileAtomic } from '../../base/atomic-write';
import { changedSinceImport, checkImportedOriginal } from './imported-original';
import { ImageSourceRefusal, openImageSource, type ImageSource } from '../../base/image-source';
import { Semaphore } from '../../base/semaphore';
import type { Project } from '../project/project';
import type { ProjectLayout } from '../project/project-layout';
import { projectResource } from '../project/project-resources';
import { DEFAULT_MAX_PIXELS } from './image-probe';

/** Longest edge of the picture the large viewer shows; the original is sent only when asked for. */
export const DISPLAY_MAX_EDGE = 2048;

/** JPEG quality of display renditions: looks like the original at screen size, a fraction of its bytes. */
const DISPLAY_QUALITY = 86;

/** Formats every browser shows as they are, so a small one is sent without re-encoding. */
const BROWSER_FORMATS: ReadonlySet<ImageRecord['format']> = new Set(['jpeg', 'png', 'webp', 'gif']);

/** Past this size an original is re-encoded even when its pixels are few (a 30 MB 16-bit PNG, say). */
const MAX_PASSTHROUGH_BYTES = 8 * 1024 * 1024;

/** Where the display rendition of some content lives: beside the thumbnails, keyed by content hash. */
export function displayRenditionPath(layout: ProjectLayout, contentHash: string): string {
  if (!/^[0-9a-f]{16,128}$/.test(contentHash)) throw new Error(`Not a content hash: ${contentHash}`);
  return path.join(layout.thumbnails, `display-${DISPLAY_MAX_EDGE}`, contentHash.slice(0, 2), `${contentHash}.jpg`);
}

/**
 * True when the viewer needs a rendition rather than the original: larger than the display
 * edge, heavy on disk, or in a format a browser does not show (TIFF, AVIF in some, SVG is shown as is).
 */
export function needsDisplayRendition(image: Pick<ImageRecord, 'width' | 'height' | 'format' | 'size'>): boolean {
  if (image.format === 'svg') return false;
  if (!BROWSER_FORMATS.has(image.format)) return true;
  return Math.max(image.width, image.height) > DISPLAY_MAX_EDGE || image.size > MAX_PASSTHROUGH_BYTES;
}

/** Decodes an image, turns it upright and shrinks it to fit the display edge, as a JPEG. */
export async function renderDisplayRendition(input: string | Buffer, maxPixels: number = DEFAULT_MAX_PIXELS): Promise<Buffer> {
  return sharp(input, { failOn: 'truncated', limitInputPixels: maxPixels })
    .rotate()
    .resize(DISPLAY_MAX_EDGE, DISPLAY_MAX_EDGE, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: DISPLAY_QUALITY })
    .toBuffer();
}

/** The project's rendition work: one big decode at a time (a 144-megapixel PNG takes hundreds of MB), shared in-flight renders. */
class DisplayQueue {
  readonly semaphore = new Semaphore(1);
  readonly inflight = new Map<string, Promise<string>>();

  constructor(project: Project) {
    void removeStaleTempFiles(path.join(project.layout.thumbnails, `display-${DISPLAY_MAX_EDGE}`)).catch(() => undefined);
  }

  /** Renders in flight finish on their own (each writes atomically); nothing new is tracked. */
  dispose(): void {
    this.inflight.clear();
  }
}

const DISPLAY_QUEUE = projectResource('display rendition queue', (project: Project) => new DisplayQueue(project));

/**
 * Returns the file of an image's display rendition, making it first when it is not cached.
 * The original is checked against what the import recorded (size, modification time) before it
 * is decoded, so the cache, keyed by content hash, never holds the picture of other bytes.
 */
export function getDisplayRendition(project: Project, image: ImageRecord): Promise<string> {
  let file: string;
  try {
    file = displayRenditionPath(project.layout, image.contentHash);
  } catch (error) {
    return Promise.reject(error);
  }
  const queue = project.resources.get(DISPLAY_QUEUE);
  const pending = queue.inflight.get(file);
  if (pending) return pending;
  const made = ensureRendition(queue, file, image).finally(() => queue.inflight.delete(file));
  queue.inflight.set(file, made);
  return made;
}

async function ensureRendition(queue: DisplayQueue, file: string, image: ImageRecord): Promise<string> {
  if (await cached(file)) return file;
  return queue.semaphore.run(async () => {
    if (await cached(file)) return file;
    await checkImportedOriginal(image);
    const data = await renderFromOriginal(image);
    await writeFileAtomic(file, data);
    return file;
  });
}

/**
 * Decodes the original through base/image-source, so what is decoded is the regular file that
 * was checked (one swapped for a FIFO or a device since the check is refused, never waited on)
 * and still of the size the import recorded.
 */
async function renderFromOriginal(image: ImageRecord): Promise<Buffer> {
  let source: ImageSource;
  try {
    source = await openImageSource(image.path);
  } catch (error) {
    if (!(error instanceof ImageSourceRefusal)) throw error;
    throw new GraftError('not-found', `Cannot show ${image.path}: ${error.message}. Import its folder again to relink it.`);
  }
  try {
    if (source.size !== image.size) throw changedSinceImport(image);
    return await renderDisplayRendition(source.input);
  } catch (error) {
    if (error instanceof GraftError) throw error;
    throw new GraftError(
      'not-found',
      `Cannot show ${image.path}: ${(error as Error).message.split('\n')[0]}. The file may be damaged; import its folder again to check it.`,
    );
  } finally {
    await source.close();
  }
}

async function cached(file: string): Promise<boolean> {
  try {
    const stats = await fs.promises.stat(file);
    return stats.isFile() && stats.size > 0;
  } catch {
    return false;
  }
}
