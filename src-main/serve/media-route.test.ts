import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../api/event-bus';
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

beforeAll(async () => {
  tmp = makeTempDir('graft-media-');
  const photos = path.join(tmp.dir, 'photos');
  fs.mkdirSync(photos);
  fs.writeFileSync(path.join(photos, 'a.png'), await makeImage('png', 1, 640, 480));
  fs.writeFileSync(path.join(tmp.dir, 'secret.txt'), 'secret');
  fs.mkdirSync(path.join(tmp.dir, 'renderer'));
  fs.writeFileSync(path.join(tmp.dir, 'renderer', 'index.html'), '<!doctype html>');
  createProject(path.join(tmp.dir, 'project')).dispose();
  session.open(path.join(tmp.dir, 'project'));
  await importFolder(session.require(), photos);
  imageId = (session.require().db.prepare('SELECT id FROM images').get() as { id: number }).id;
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
});
