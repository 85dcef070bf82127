import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeFifo, releaseFifos } from '../../base/test-support/hostile-paths';
import type { Project } from '../project/project';
import { DISPLAY_MAX_EDGE, displayRenditionPath, getDisplayRendition, needsDisplayRendition } from './display-rendition';
import { getImage } from './image-query';
import { importFolder } from './import-folder';
import { cleanUp, makeImage, makeProject, makeTempDir, type TempDir } from './library-fixtures';
import { openMedia, type OpenedMedia } from './media-resolver';

let tmp: TempDir;
let project: Project;
let root: string;
const ids: Record<string, number> = {};

beforeEach(async () => {
  tmp = makeTempDir('graft-display-');
  project = makeProject(tmp);
  root = path.join(tmp.dir, 'photos');
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(root, 'huge.png'), await makeImage('png', 1, 5000, 4000));
  fs.writeFileSync(path.join(root, 'small.jpg'), await makeImage('jpeg', 2, 640, 480));
  fs.writeFileSync(path.join(root, 'small.tiff'), await makeImage('tiff', 3, 300, 200));
  await importFolder(project, root);
  for (const name of ['huge.png', 'small.jpg', 'small.tiff']) {
    ids[name] = (project.db.prepare('SELECT id FROM images WHERE file_name = ?').get(name) as { id: number }).id;
  }
});

afterEach(() => cleanUp(tmp, project));

async function readOpened(media: OpenedMedia): Promise<Buffer> {
  try {
    return await media.handle.readFile();
  } finally {
    await media.handle.close();
  }
}

describe('display renditions', () => {
  it('serve a 5000×4000 photo at 2048 px on its long side, cached on disk beside the thumbnails', async () => {
    const media = await openMedia(project, { kind: 'display', imageId: ids['huge.png']! });
    expect(media.mimeType).toBe('image/jpeg');
    const bytes = await readOpened(media);
    const meta = await sharp(bytes).metadata();
    expect([meta.width, meta.height]).toEqual([DISPLAY_MAX_EDGE, 1638]);
    expect(meta.format).toBe('jpeg');
    const image = getImage(project, ids['huge.png']!)!;
    const cachedFile = displayRenditionPath(project.layout, image.contentHash);
    expect(path.relative(project.layout.thumbnails, cachedFile)).not.toMatch(/^\.\./);
    expect(fs.readFileSync(cachedFile)).toEqual(bytes);
    // Once made, the rendition answers even without the original.
    fs.rmSync(path.join(root, 'huge.png'));
    expect(await readOpened(await openMedia(project, { kind: 'display', imageId: ids['huge.png']! }))).toEqual(bytes);
  });

  it('send a small original a browser shows as it is, and re-encode a format it does not', async () => {
    const small = await openMedia(project, { kind: 'display', imageId: ids['small.jpg']! });
    expect(await readOpened(small)).toEqual(fs.readFileSync(path.join(root, 'small.jpg')));
    const tiff = await openMedia(project, { kind: 'display', imageId: ids['small.tiff']! });
    expect(tiff.mimeType).toBe('image/jpeg');
    const meta = await sharp(await readOpened(tiff)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 300, 200]);
  });

  it('make one rendition for concurrent requests', async () => {
    const image = getImage(project, ids['huge.png']!)!;
    const requests = Array.from({ length: 4 }, () => getDisplayRendition(project, image));
    expect(new Set(requests).size).toBe(1);
    await Promise.all(requests);
    const dir = path.dirname(displayRenditionPath(project.layout, image.contentHash));
    expect(fs.readdirSync(dir)).toEqual([`${image.contentHash}.jpg`]);
  });

  it('never cache the picture of a file that changed since it was imported', async () => {
    const image = getImage(project, ids['huge.png']!)!;
    fs.writeFileSync(path.join(root, 'huge.png'), await makeImage('png', 9, 3000, 3000));
    await expect(openMedia(project, { kind: 'display', imageId: image.id })).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/changed since it was imported/) as string,
    });
    expect(fs.existsSync(displayRenditionPath(project.layout, image.contentHash))).toBe(false);
    fs.rmSync(path.join(root, 'huge.png'));
    await expect(openMedia(project, { kind: 'display', imageId: image.id })).rejects.toThrow(/cannot be read any more/);
  });

  it.skipIf(process.platform === 'win32')(
    'never wait on an original swapped for a FIFO after it was checked',
    { timeout: 10_000 },
    async () => {
      const image = getImage(project, ids['huge.png']!)!;
      const original = path.join(root, 'huge.png');
      const realStat = fs.promises.stat.bind(fs.promises);
      // The swap lands between the check of the original and its decode.
      const stat = vi.spyOn(fs.promises, 'stat').mockImplementation((async (file: fs.PathLike) => {
        const stats = await realStat(file);
        if (file === original && !fs.existsSync(`${original}.aside`)) {
          fs.renameSync(original, `${original}.aside`);
          expect(makeFifo(original)).toBe(true);
        }
        return stats;
      }) as typeof fs.promises.stat);
      try {
        await expect(getDisplayRendition(project, image)).rejects.toMatchObject({
          code: 'not-found',
          message: `Cannot show ${original}: not a regular file: it is a named pipe (FIFO). Import its folder again to relink it.`,
        });
        expect(fs.existsSync(displayRenditionPath(project.layout, image.contentHash))).toBe(false);
      } finally {
        stat.mockRestore();
        releaseFifos([{ what: 'a FIFO', file: original, reason: '' }]);
      }
      // Back as it was, the photo is shown again.
      fs.rmSync(original);
      fs.renameSync(`${original}.aside`, original);
      expect(await getDisplayRendition(project, image)).toBe(displayRenditionPath(project.layout, image.contentHash));
    },
  );

  it('are needed for large, heavy or non-browser images only', () => {
    const base = { width: 1000, height: 800, format: 'jpeg' as const, size: 200_000 };
    expect(needsDisplayRendition(base)).toBe(false);
    expect(needsDisplayRendition({ ...base, width: 2049 })).toBe(true);
    expect(needsDisplayRendition({ ...base, height: 12_000 })).toBe(true);
    expect(needsDisplayRendition({ ...base, size: 20_000_000 })).toBe(true);
    expect(needsDisplayRendition({ ...base, format: 'tiff' })).toBe(true);
    expect(needsDisplayRendition({ ...base, format: 'avif' })).toBe(true);
    expect(needsDisplayRendition({ ...base, format: 'svg', width: 9000 })).toBe(false);
  });
});
