import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_IMAGE_FILE_BYTES } from '../../base/image-source';
import { releaseFifos, writeHostilePaths, type HostilePath } from '../../base/test-support/hostile-paths';
import type { Project } from '../project/project';
import { importFolder } from './import-folder';
import { cleanUp, makeImage, makeOrientedJpeg, makeProject, makeTempDir, type TempDir } from './library-fixtures';
import { openMedia, type OpenedMedia } from './media-resolver';
import { getThumbnail, thumbnailPath } from './thumbnails';

let tmp: TempDir;
let project: Project;
let rotatedId: number;
let plainId: number;
let root: string;

beforeEach(async () => {
  tmp = makeTempDir();
  project = makeProject(tmp);
  root = path.join(tmp.dir, 'photos');
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(root, 'rotated.jpg'), await makeOrientedJpeg());
  fs.writeFileSync(path.join(root, 'plain.png'), await makeImage('png', 1, 600, 400));
  await importFolder(project, root);
  const id = (name: string) => (project.db.prepare('SELECT id FROM images WHERE file_name = ?').get(name) as { id: number }).id;
  rotatedId = id('rotated.jpg');
  plainId = id('plain.png');
});

afterEach(() => cleanUp(tmp, project));

describe('getThumbnail', () => {
  it('writes an upright thumbnail inside the project cache', async () => {
    const file = await getThumbnail(project, rotatedId, 64);
    expect(path.relative(project.layout.thumbnails, file)).not.toMatch(/^\.\./);
    const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
    // 300×200 stored with orientation 6 → portrait, red on top, blue below.
    expect([info.width, info.height]).toEqual([43, 64]);
    const pixel = (x: number, y: number) => [...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3)];
    expect(pixel(20, 5)[0]).toBeGreaterThan(200);
    expect(pixel(20, 5)[2]).toBeLessThan(60);
    expect(pixel(20, 58)[2]).toBeGreaterThan(200);
    expect(pixel(20, 58)[0]).toBeLessThan(60);
  });

  it('serves the cached file afterwards without decoding again', async () => {
    const file = await getThumbnail(project, plainId);
    const before = fs.statSync(file);
    fs.rmSync(path.join(root, 'plain.png'));
    // The original is gone; only a cache hit can answer.
    expect(await getThumbnail(project, plainId)).toBe(file);
    expect(fs.statSync(file).mtimeMs).toBe(before.mtimeMs);
    await expect(getThumbnail(project, plainId, 128)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('shares one decode between concurrent requests for the same thumbnail', async () => {
    const requests = Array.from({ length: 8 }, () => getThumbnail(project, plainId, 96));
    expect(new Set(requests).size).toBe(1);
    const other = getThumbnail(project, rotatedId, 96);
    expect(other).not.toBe(requests[0]);
    const files = await Promise.all([...requests, other]);
    expect(new Set(files).size).toBe(2);
    const written = fs.readdirSync(path.join(project.layout.thumbnails, '96'), { recursive: true }).map(String);
    expect(written.filter((f) => f.endsWith('.jpg'))).toHaveLength(2);
    expect(written.some((f) => f.endsWith('.tmp'))).toBe(false);
  });

  it('makes no thumbnail from an original edited since the import (it would sit under the imported content\'s hash)', async () => {
    const original = path.join(root, 'plain.png');
    fs.writeFileSync(original, await makeImage('png', 9, 300, 300));
    await expect(getThumbnail(project, plainId, 64)).rejects.toMatchObject({ code: 'not-found', message: `${original} has changed since it was imported — import its folder again to see it.` });
    const hash = (project.db.prepare('SELECT content_hash FROM images WHERE id = ?').get(plainId) as { content_hash: string }).content_hash;
    expect(fs.existsSync(thumbnailPath(project.layout, hash, 64))).toBe(false);
  });

  it('refuses sizes outside the range and unknown images', async () => {
    await expect(getThumbnail(project, plainId, 5000)).rejects.toThrow(/from 16 to 1024/);
    await expect(getThumbnail(project, 424242)).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('getThumbnail of an original replaced by something that is not a photo', () => {
  let hostile: HostilePath[] = [];
  afterEach(() => releaseFifos(hostile));
  // The reasons are whole per-file reasons; here they are part of a sentence.
  const inSentence = (reason: string | RegExp) => (typeof reason === 'string' ? reason : new RegExp(reason.source.replace(/^\^|\$$/g, '')));

  it('refuses a FIFO, a device, a folder or a huge file at once, with the reason, and the queue goes on', { timeout: 10_000 }, async () => {
    hostile = writeHostilePaths(path.join(tmp.dir, 'hostile'), MAX_IMAGE_FILE_BYTES);
    const original = path.join(root, 'plain.png');
    fs.rmSync(original);
    for (const [index, { what, file, reason }] of hostile.entries()) {
      fs.rmSync(original, { force: true });
      fs.symlinkSync(file, original);
      // A new size each time: no cached thumbnail, no shared in-flight render.
      const size = 32 + index;
      const refusal = getThumbnail(project, plainId, size);
      await expect(refusal, what).rejects.toMatchObject({ code: 'not-found', message: expect.stringContaining(`Cannot make a thumbnail for ${original}: `) as string });
      await expect(refusal, what).rejects.toThrow(inSentence(reason));
      await expect(openMedia(project, { kind: 'thumb', imageId: plainId, size }), what).rejects.toThrow(inSentence(reason));
    }
    expect(hostile.map(({ what }) => what)).toContain('a folder');
    // Every decode slot is free: the other photo's thumbnails are made at once.
    const sizes = Array.from({ length: 12 }, (_, i) => 100 + i);
    const made = await Promise.all(sizes.map((size) => getThumbnail(project, rotatedId, size)));
    expect(made.every((file) => fs.statSync(file).size > 0)).toBe(true);
  });
});

/** Reads what an opened media file would send, and closes it. */
async function readOpened(media: OpenedMedia): Promise<Buffer> {
  try {
    return await media.handle.readFile();
  } finally {
    await media.handle.close();
  }
}

describe('openMedia', () => {
  it('opens the cached thumbnail or the imported original, with the type of its decoded format', async () => {
    const thumb = await openMedia(project, { kind: 'thumb', imageId: plainId, size: 128 });
    expect(thumb.mimeType).toBe('image/jpeg');
    const thumbBytes = await readOpened(thumb);
    expect(thumbBytes.length).toBe(thumb.size);
    expect((await sharp(thumbBytes).metadata()).width).toBe(128);
    const original = await openMedia(project, { kind: 'original', imageId: plainId });
    expect(original.mimeType).toBe('image/png');
    expect(await readOpened(original)).toEqual(fs.readFileSync(path.join(root, 'plain.png')));
    const rotated = await openMedia(project, { kind: 'thumb', imageId: rotatedId });
    expect(rotated.mimeType).toBe('image/jpeg');
    await readOpened(rotated);
  });

  it('refuses images that are not in this project, missing, or of a size out of range', async () => {
    await expect(openMedia(project, { kind: 'original', imageId: 424242 })).rejects.toMatchObject({ code: 'not-found' });
    await expect(openMedia(project, { kind: 'thumb', imageId: plainId, size: 99999 })).rejects.toMatchObject({ code: 'bad-request' });
    project.db.prepare('UPDATE images SET missing = 1 WHERE id = ?').run(plainId);
    await expect(openMedia(project, { kind: 'original', imageId: plainId })).rejects.toThrow(/missing/);
  });

  it('serves an original only while it is still the regular file that was imported', async () => {
    const original = path.join(root, 'plain.png');
    const secret = path.join(tmp.dir, 'secret.txt');
    fs.writeFileSync(secret, 'not a photo');
    const changed = { code: 'not-found', message: expect.stringMatching(/changed since it was imported — import its folder again/) };
    const swaps: [string, () => void][] = [
      ['a symlink to another file', () => fs.symlinkSync(secret, original)],
      ['a directory', () => fs.mkdirSync(original)],
      ['other bytes', () => fs.writeFileSync(original, 'x'.repeat(50))],
    ];
    if (spawnSync('mkfifo', ['--help'], { stdio: 'ignore' }).status === 0) swaps.push(['a FIFO', () => spawnSync('mkfifo', [original])]);
    const saved = fs.readFileSync(original);
    // Moved aside and back, so the file keeps the modification time the import recorded.
    fs.renameSync(original, `${original}.aside`);
    for (const [what, swap] of swaps) {
      fs.rmSync(original, { recursive: true, force: true });
      swap();
      await expect(openMedia(project, { kind: 'original', imageId: plainId }), what).rejects.toMatchObject(changed);
    }
    // Back as it was, it is the file that was imported.
    fs.rmSync(original, { recursive: true });
    fs.renameSync(`${original}.aside`, original);
    expect(await readOpened(await openMedia(project, { kind: 'original', imageId: plainId }))).toEqual(saved);
    fs.rmSync(original);
    await expect(openMedia(project, { kind: 'original', imageId: plainId })).rejects.toThrow(/cannot be read any more/);
  });
});

describe('thumbnail cache', () => {
  it('drops the temporary files a killed writer left, at its first use after the project opens', async () => {
    const hash = (project.db.prepare('SELECT content_hash FROM images WHERE id = ?').get(plainId) as { content_hash: string }).content_hash;
    const thumb = thumbnailPath(project.layout, hash, 64);
    fs.mkdirSync(path.dirname(thumb), { recursive: true });
    // A pid that is not running (beyond Linux's pid_max), the bare name of earlier versions, and a live write.
    const stale = [`${thumb}.4194305-0a1b2c3d.tmp`, `${thumb}.0a1b2c3d4e5f.tmp`];
    const live = `${thumb}.${process.pid}-0a1b2c3d.tmp`;
    for (const file of [...stale, live]) fs.writeFileSync(file, 'half a jpeg');
    await getThumbnail(project, plainId, 96);
    await expect.poll(() => stale.filter((file) => fs.existsSync(file))).toEqual([]);
    expect(fs.existsSync(live)).toBe(true);
  });
});
