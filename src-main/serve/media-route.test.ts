import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeFifo, releaseFifos, type HostilePath } from '../base/test-support/hostile-paths';
import { EventBus } from '../api/event-bus';
import { mediaUrl } from '../api/media-url';
import { JUNK_MEDIA_TARGETS } from '../api/test-support/media-url-junk';
import { ProjectSession } from '../core/project-session';
import { importFolder } from '../core/library/import-folder';
import { makeImage, makeTempDir, type TempDir } from '../core/library/library-fixtures';
import { createProject } from '../core/project/project';
import { mediaRoute } from './media-route';
import { startServeServer, type RunningServer } from './serve-server';

let tmp: TempDir;
let server: RunningServer;
const session = new ProjectSession();
let imageId = 0;
let swappedId = 0;
let pipedId = 0;
let photos = '';

beforeAll(async () => {
  tmp = makeTempDir('graft-media-');
  photos = path.join(tmp.dir, 'photos');
  fs.mkdirSync(photos);
  fs.writeFileSync(path.join(photos, 'a.png'), await makeImage('png', 1, 640, 480));
  fs.writeFileSync(path.join(photos, 'b.jpg'), await makeImage('jpeg', 2, 64, 48));
  fs.writeFileSync(path.join(photos, 'c.jpg'), await makeImage('jpeg', 3, 64, 48));
  fs.writeFileSync(path.join(tmp.dir, 'secret.txt'), 'secret');
  fs.mkdirSync(path.join(tmp.dir, 'renderer'));
  fs.writeFileSync(path.join(tmp.dir, 'renderer', 'index.html'), '<!doctype html>');
  createProject(path.join(tmp.dir, 'project')).dispose();
  session.open(path.join(tmp.dir, 'project'));
  await importFolder(session.require(), photos);
  const idOf = (name: string) => (session.require().db.prepare('SELECT id FROM images WHERE file_name = ?').get(name) as { id: number }).id;
  imageId = idOf('a.png');
  swappedId = idOf('b.jpg');
  pipedId = idOf('c.jpg');
  server = await startServeServer({
    host: '127.0.0.1',
    port: 0,
    rendererDir: path.join(tmp.dir, 'renderer'),
    dispatcher: { dispatch: async () => ({ ok: true, value: null }) },
    bus: new EventBus(),
    routes: [mediaRoute(session)],
  });
});
afterAll(async () => {
  await server.dispose();
  session.dispose();
  tmp.cleanup();
});

const get = (pathAndQuery: string, token = server.token) =>
  fetch(`http://127.0.0.1:${server.port}${pathAndQuery}${pathAndQuery.includes('?') ? '&' : '?'}token=${token}`);

describe('graft serve media route', () => {
  it('serves a thumbnail of the asked size, made on first request', async () => {
    const response = await get(`/media/thumb/${imageId}?size=128`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    expect(Math.max(meta.width!, meta.height!)).toBe(128);
  });

  it('serves the imported original', async () => {
    const response = await get(`/media/original/${imageId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect((await sharp(Buffer.from(await response.arrayBuffer())).metadata()).width).toBe(640);
  });

  it('serves a display copy: a photo no larger than the display edge as it is', async () => {
    const response = await get(mediaUrl({ kind: 'display', imageId }, 'serve'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect((await sharp(Buffer.from(await response.arrayBuffer())).metadata()).width).toBe(640);
    expect((await get('/media/display/999999')).status).toBe(404);
  });

  it('refuses without the token, unknown ids, bad sizes and anything path-like', async () => {
    expect((await get(`/media/thumb/${imageId}`, 'wrong')).status).toBe(401);
    expect((await get('/media/original/999999')).status).toBe(404);
    expect((await get(`/media/thumb/${imageId}?size=99999`)).status).toBe(400);
    for (const probe of ['/media/original/..%2f..%2fsecret.txt', '/media/original/%2Fetc%2Fpasswd', `/media/original/${imageId}/../../secret.txt`]) {
      const body = await (await get(probe)).text();
      expect(body, probe).not.toContain('secret');
      expect(body, probe).not.toContain('root:');
    }
  });

  it('refuses every media URL the Electron protocol refuses, with 400: the same parser answers both', async () => {
    for (const [target, query] of JUNK_MEDIA_TARGETS) {
      const response = await get(`/media/${target}${query}`);
      expect(response.status, `${target}${query}`).toBe(400);
      expect(await response.text()).toMatch(/Media URLs look like|Thumbnail size must be/);
    }
    expect((await get(`/media/thumb/${imageId}?size=1e3`)).status).toBe(400);
    expect((await get(mediaUrl({ kind: 'thumb', imageId, size: 64 }, 'serve'))).status).toBe(200);
  });

  it('refuses an original replaced by a symlink to another file, and serves it again once it is back', async () => {
    const original = path.join(photos, 'b.jpg');
    const saved = fs.readFileSync(original);
    // Moved aside and back, so the file keeps the modification time the import recorded.
    fs.renameSync(original, `${original}.aside`);
    fs.symlinkSync(path.join(tmp.dir, 'secret.txt'), original);
    const refused = await get(`/media/original/${swappedId}`);
    expect(refused.status).toBe(404);
    const body = await refused.text();
    expect(body).toContain('changed since it was imported — import its folder again');
    expect(body).not.toContain('secret');
    fs.rmSync(original);
    fs.renameSync(`${original}.aside`, original);
    const served = await get(`/media/original/${swappedId}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(served.headers.get('content-length')).toBe(String(saved.length));
    expect(Buffer.from(await served.arrayBuffer())).toEqual(saved);
  });

  describe('an original replaced by a FIFO', () => {
    let fifos: HostilePath[] = [];
    afterEach(() => releaseFifos(fifos));

    it.skipIf(process.platform === 'win32')('answers a thumbnail request at once with 404 and the reason', { timeout: 10_000 }, async () => {
      const original = path.join(photos, 'c.jpg');
      fs.rmSync(original);
      expect(makeFifo(original)).toBe(true);
      fifos = [{ what: 'a FIFO', file: original, reason: '' }];
      const refused = await get(`/media/thumb/${pipedId}?size=64`);
      expect(refused.status).toBe(404);
      expect(await refused.text()).toBe(
        `Cannot make a thumbnail for ${original}: not a regular file: it is a named pipe (FIFO). ` +
          'The file may have been moved, deleted, replaced or damaged; import its folder again to relink it.',
      );
      // The server still answers everything else.
      expect((await get(`/media/thumb/${imageId}?size=48`)).status).toBe(200);
    });
  });
});
