import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { WsServerMessage } from '../api/contract';
import type { Dispatcher } from '../api/dispatcher';
import { EventBus } from '../api/event-bus';
import { startServeServer, type RunningServer } from './serve-server';

let server: RunningServer;
let rendererDir: string;
const bus = new EventBus();
const dispatcher: Dispatcher = {
  dispatch: async (name, params) => ({ ok: true, value: { echo: name, params } }),
};

beforeAll(async () => {
  rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-renderer-'));
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Graft</title>');
  fs.mkdirSync(path.join(rendererDir, 'assets'));
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  server = await startServeServer({ host: '127.0.0.1', port: 0, rendererDir, dispatcher, bus });
});
afterAll(async () => {
  await server.dispose();
  fs.rmSync(rendererDir, { recursive: true, force: true });
});

const base = () => `http://127.0.0.1:${server.port}`;

function openSocket(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('graft serve HTTP', () => {
  it('prints a URL with the chosen port and a random token', () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses requests without the token, or with a wrong one', async () => {
    for (const url of [`${base()}/`, `${base()}/assets/app.js`, `${base()}/?token=wrong`, `${base()}/?token=${server.token}x`]) {
      const response = await fetch(url);
      expect(response.status, url).toBe(401);
    }
  });

  it('serves the page with the token, sets a cookie for assets, and sends security headers', async () => {
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Graft</title>');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie).toBe(`graft_token_${server.port}=${server.token}`);
    const asset = await fetch(`${base()}/assets/app.js`, { headers: { cookie } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
  });

  it('never serves files outside the renderer folder', async () => {
    const outside = path.join(path.dirname(rendererDir), `${path.basename(rendererDir)}-secret.txt`);
    fs.writeFileSync(outside, 'secret');
    const response = await fetch(`${base()}/..%2f${path.basename(outside)}?token=${server.token}`);
    expect(await response.text()).not.toContain('secret');
    fs.rmSync(outside);
  });
});

describe('graft serve WebSocket', () => {
  it('refuses a socket without the token', async () => {
    await expect(openSocket(`ws://127.0.0.1:${server.port}/ws`)).rejects.toThrow('HTTP 401');
  });

  it('refuses a socket opened by another site', async () => {
    await expect(openSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, { origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
  });

  it('answers calls and pushes the events a socket subscribed to', async () => {
    const ws = await openSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, { origin: base() });
    const messages: WsServerMessage[] = [];
    const got = (n: number) => new Promise<void>((resolve) => ws.on('message', (data) => { messages.push(JSON.parse(String(data))); if (messages.length >= n) resolve(); }));
    const done = got(2);
    ws.send(JSON.stringify({ kind: 'subscribe', name: 'library.changed', topic: null }));
    ws.send(JSON.stringify({ kind: 'call', id: 7, name: 'app.info', params: { a: 1 } }));
    setTimeout(() => {
      bus.emit('engine.status', { state: 'ready', backend: 'wasm', backendPackage: null, tfjsVersion: null, onnx: null, lastError: null, restarts: 0 });
      bus.emit('library.changed', { reason: 'labels' });
    }, 20);
    await done;
    expect(messages).toContainEqual({ kind: 'reply', id: 7, reply: { ok: true, value: { echo: 'app.info', params: { a: 1 } } } });
    expect(messages).toContainEqual({ kind: 'event', name: 'library.changed', payload: { reason: 'labels' }, topic: null });
    expect(messages.some((m) => m.kind === 'event' && m.name === 'engine.status')).toBe(false);
    ws.close();
  });

  it('closes a socket that sends malformed frames', async () => {
    const ws = await openSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('not json');
    expect(await closed).toBe(1003);
  });
});

/** Sends raw bytes and resolves with whatever the server answers before closing. */
function raw(port: number, data: string | Buffer, waitMs = 300): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(data));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    setTimeout(() => {
      socket.destroy();
      resolve(answer);
    }, waitMs);
  });
}

describe('graft serve survives hostile input', () => {
  const alive = async () => expect((await fetch(server.url)).status).toBe(200);

  it('answers an unparsable request target with 400 and keeps serving', async () => {
    const host = `127.0.0.1:${server.port}`;
    expect(await raw(server.port, `GET //[ HTTP/1.1\r\nHost: ${host}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(server.port, `GET //[ HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`)).toMatch(/400/);
    await alive();
  });

  it('treats a malformed cookie and an opaque Origin as unauthenticated or foreign', async () => {
    expect((await fetch(`${base()}/`, { headers: { cookie: `graft_token_${server.port}=%` } })).status).toBe(401);
    await expect(openSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, { origin: 'null' })).rejects.toThrow('HTTP 403');
    await alive();
  });

  it('drops a socket that sends an invalid frame, without crashing', async () => {
    const ws = await openSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    // An unmasked client frame breaks the protocol; the server must end only this socket.
    (ws as unknown as { _socket: net.Socket })._socket.write(Buffer.from([0x81, 0x02, 0x68, 0x69]));
    await closed;
    await alive();
  });
});
