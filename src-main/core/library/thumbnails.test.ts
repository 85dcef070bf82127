import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Project } from '../project/project';
import { importFolder } from './import-folder';
import { cleanUp, makeImage, makeOrientedJpeg, makeProject, makeTempDir, type TempDir } from './library-fixtures';
import { parseMediaUrl, resolveMediaRequest } from './media-resolver';
import { getThumbnail } from './thumbnails';

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

  it('refuses sizes outside the range and unknown images', async () => {
    await expect(getThumbnail(project, plainId, 5000)).rejects.toThrow(/from 16 to 1024/);
    await expect(getThumbnail(project, 424242)).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('resolveMediaRequest', () => {
  it('maps a thumb request to the cache and an original request to the imported file', async () => {
    const thumb = await resolveMediaRequest(project, { kind: 'thumb', imageId: plainId, size: 128 });
    expect(thumb.mimeType).toBe('image/jpeg');
    expect(thumb.filePath.startsWith(project.layout.thumbnails + path.sep)).toBe(true);
    expect(await resolveMediaRequest(project, { kind: 'original', imageId: plainId })).toEqual({
      filePath: path.join(root, 'plain.png'),
      mimeType: 'image/png',
    });
    expect(await resolveMediaRequest(project, parseMediaUrl(`graft-media://thumb/${rotatedId}?size=64`))).toMatchObject({
      mimeType: 'image/jpeg',
    });
  });

  it('refuses anything that is not an image of this project', async () => {
    const refused: unknown[] = [
      null,
      'graft-media://original/1',
      { kind: 'file', imageId: plainId },
      { kind: 'original', imageId: '1' },
      { kind: 'original', imageId: -1 },
      { kind: 'original', imageId: 1.5 },
      { kind: 'original', imageId: 424242 },
      { kind: 'original', imageId: plainId, path: '/etc/passwd' },
      { kind: 'original', imageId: plainId, size: 64 },
      { kind: 'thumb', imageId: plainId, size: 99999 },
      { kind: 'thumb', imageId: plainId, size: '../../etc' },
    ];
    for (const request of refused) {
      await expect(resolveMediaRequest(project, request), JSON.stringify(request)).rejects.toMatchObject({
        code: expect.stringMatching(/bad-request|not-found/),
      });
    }
    for (const url of [
      'graft-media://original/../../etc/passwd',
      'graft-media://original/%2e%2e%2fetc',
      'graft-media://thumb/1/extra',
      'graft-media://secrets/1',
      'file:///etc/passwd',
      'not a url',
    ]) {
      expect(() => parseMediaUrl(url), url).toThrow();
    }
    project.db.prepare('UPDATE images SET missing = 1 WHERE id = ?').run(plainId);
    await expect(resolveMediaRequest(project, { kind: 'original', imageId: plainId })).rejects.toThrow(/missing/);
  });
});
