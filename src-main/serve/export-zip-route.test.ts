import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../api/event-bus';
import { exportDownloadUrl } from '../api/export-download';
import { makeTempDir, type TempDir } from '../core/library/library-fixtures';
import { ProjectSession } from '../core/project-session';
import { createProject } from '../core/project/project';
import { exportZipRoute } from './export-zip-route';
import { startServeServer, type RunningServer } from './serve-server';

let tmp: TempDir;
let server: RunningServer;
let exportsDir = '';
const session = new ProjectSession();
const weights = randomBytes(3 * 1024 * 1024 + 17);

/** An export folder as the engine leaves one: the marker, model files, and a data tree of links. */
function writeExport(name: string, withMarker = true): string {
  const dir = path.join(exportsDir, name);
  fs.mkdirSync(path.join(dir, 'data', 'train', 'cat'), { recursive: true });
  if (withMarker) fs.writeFileSync(path.join(dir, 'graft-export.json'), '{"format":"tfjs"}');
  fs.writeFileSync(path.join(dir, 'model.json'), '{"modelTopology":{}}');
  fs.writeFileSync(path.join(dir, 'weights.bin'), weights);
  fs.writeFileSync(path.join(dir, 'empty.txt'), '');
  fs.symlinkSync(path.join(tmp.dir, 'photos', 'cat.jpg'), path.join(dir, 'data', 'train', 'cat', 'cat.jpg'));
  // A link to a folder is not followed (a loop would never end), nor one to nothing.
  fs.symlinkSync(tmp.dir, path.join(dir, 'data', 'loop'));
  fs.symlinkSync(path.join(tmp.dir, 'gone.jpg'), path.join(dir, 'data', 'train', 'cat', 'gone.jpg'));
  return dir;
}

beforeAll(async () => {
  tmp = makeTempDir('graft-export-zip-');
  fs.mkdirSync(path.join(tmp.dir, 'photos'));
  fs.writeFileSync(path.join(tmp.dir, 'photos', 'cat.jpg'), 'not really a jpeg');
  fs.writeFileSync(path.join(tmp.dir, 'secret.txt'), 'secret');
  fs.mkdirSync(path.join(tmp.dir, 'renderer'));
  fs.writeFileSync(path.join(tmp.dir, 'renderer', 'index.html'), '<!doctype html>');
  createProject(path.join(tmp.dir, 'project')).dispose();
  session.open(path.join(tmp.dir, 'project'));
  exportsDir = session.require().layout.exports;
  writeExport('run-1-tfjs');
  writeExport('photos-folder', false);
  writeExport('Été 2026 · onnx');
  // An export-looking folder outside the project, reached through a link inside exports.
  const outside = path.join(tmp.dir, 'elsewhere');
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'graft-export.json'), '{}');
  fs.writeFileSync(path.join(outside, 'private.txt'), 'private');
  fs.symlinkSync(outside, path.join(exportsDir, 'linked'));
  server = await startServeServer({
    host: '127.0.0.1',
    port: 0,
    rendererDir: path.join(tmp.dir, 'renderer'),
    dispatcher: { dispatch: async () => ({ ok: true, value: null }) },
    bus: new EventBus(),
    routes: [exportZipRoute(session)],
  });
});
afterAll(async () => {
  await server.dispose();
  session.dispose();
  tmp.cleanup();
});

const get = (target: string, init: RequestInit = {}, token = server.token) =>
  fetch(`http://127.0.0.1:${server.port}${target}${target.includes('?') ? '&' : '?'}token=${token}`, init);

describe('graft serve export download', () => {
  it('streams an export folder as a zip under the folder\'s name, following links to files only', async () => {
    const response = await get(exportDownloadUrl('run-1-tfjs'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="run-1-tfjs.zip"; filename*=UTF-8''run-1-tfjs.zip`);
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual([
      'run-1-tfjs/data/train/cat/cat.jpg',
      'run-1-tfjs/empty.txt',
      'run-1-tfjs/graft-export.json',
      'run-1-tfjs/model.json',
      'run-1-tfjs/weights.bin',
    ]);
    expect(Buffer.from(files['run-1-tfjs/weights.bin']!).equals(weights)).toBe(true);
    expect(Buffer.from(files['run-1-tfjs/data/train/cat/cat.jpg']!).toString()).toBe('not really a jpeg');
    expect(files['run-1-tfjs/empty.txt']!.length).toBe(0);
  });

  it('names a folder with any characters in the URL and the file name', async () => {
    const url = exportDownloadUrl('Été 2026 · onnx');
    expect(url).toBe('/download/export/%C3%89t%C3%A9%202026%20%C2%B7%20onnx.zip');
    const response = await get(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="_t_ 2026 _ onnx.zip"; filename*=UTF-8''%C3%89t%C3%A9%202026%20%C2%B7%20onnx.zip`);
    expect(Object.keys(unzipSync(new Uint8Array(await response.arrayBuffer())))).toContain('Été 2026 · onnx/model.json');
  });

  it('answers HEAD with the headers only', async () => {
    const response = await get(exportDownloadUrl('run-1-tfjs'), { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect((await response.arrayBuffer()).byteLength).toBe(0);
  });

  it.each([
    ['/download/export/photos-folder.zip', 404, 'There is no export "photos-folder"'],
    ['/download/export/nothing-here.zip', 404, 'There is no export "nothing-here"'],
    ['/download/export/linked.zip', 404, 'There is no export "linked"'],
    ['/download/export/..%2Fsecret.txt.zip', 400, 'Export downloads look like'],
    ['/download/export/%2E%2E.zip', 400, 'Export downloads look like'],
    ['/download/export/a%00b.zip', 400, 'Export downloads look like'],
    ['/download/export/%E0%A4%A.zip', 400, 'Export downloads look like'],
    ['/download/export/run-1-tfjs', 400, 'Export downloads look like'],
    ['/download/export/.zip', 400, 'Export downloads look like'],
  ])('refuses %s with %i', async (target, status, message) => {
    const response = await get(target);
    expect(response.status).toBe(status);
    expect(await response.text()).toContain(message);
  });

  it('needs the token and this server\'s own Host, like every route', async () => {
    expect((await fetch(`http://127.0.0.1:${server.port}${exportDownloadUrl('run-1-tfjs')}`)).status).toBe(401);
    expect((await get(exportDownloadUrl('run-1-tfjs'), {}, 'wrong')).status).toBe(401);
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.get({ host: '127.0.0.1', port: server.port, path: `${exportDownloadUrl('run-1-tfjs')}?token=${server.token}`, headers: { host: 'attacker.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      request.on('error', reject);
    });
    expect(status).toBe(403);
  });

  it('stops zipping when the browser goes away, and serves the next download', async () => {
    const big = path.join(exportsDir, 'big');
    fs.mkdirSync(big);
    fs.writeFileSync(path.join(big, 'graft-export.json'), '{}');
    // Sparse: 256 MB that take no disk and read as zeros.
    fs.closeSync(fs.openSync(path.join(big, 'model.bin'), 'w'));
    fs.truncateSync(path.join(big, 'model.bin'), 256 * 1024 * 1024);
    const controller = new AbortController();
    const response = await get(exportDownloadUrl('big'), { signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await reader.cancel().catch(() => undefined);
    const next = await get(exportDownloadUrl('run-1-tfjs'));
    expect(next.status).toBe(200);
    expect(Object.keys(unzipSync(new Uint8Array(await next.arrayBuffer())))).toHaveLength(5);
  });
});
