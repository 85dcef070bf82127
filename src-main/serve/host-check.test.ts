import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { EventBus } from '../api/event-bus';
import { hostPolicy, parseHostHeader } from './host-check';
import { startServeServer, type RunningServer } from './serve-server';

describe('the Host a serve answers to', () => {
  it('parses Host headers: names, IPv4, bracketed IPv6, default port, junk', () => {
    expect(parseHostHeader('LocalHost.:5170')).toEqual({ name: 'localhost', port: 5170 });
    expect(parseHostHeader('[::1]:8080')).toEqual({ name: '::1', port: 8080 });
    expect(parseHostHeader('example.org')).toEqual({ name: 'example.org', port: 80 });
    for (const junk of [undefined, '', 'a b', 'x:99999', 'user@host:1', 'a/b:1', '[::1']) expect(parseHostHeader(junk), String(junk)).toBeNull();
  });

  it('on loopback: only localhost and loopback addresses, with the bound port', () => {
    const policy = hostPolicy({ bindHost: '127.0.0.1', port: 5170, machine: { hostnames: ['box'], addresses: ['192.168.1.5'] } });
    for (const ok of ['127.0.0.1:5170', 'localhost:5170', '[::1]:5170', '127.0.0.2:5170', 'app.localhost:5170']) expect(policy.allowsHost(ok), ok).toBe(true);
    for (const no of ['evil.example:5170', 'box:5170', '192.168.1.5:5170', '127.0.0.1:5171', '127.0.0.1', undefined]) expect(policy.allowsHost(no), String(no)).toBe(false);
    expect(policy.refusal('evil.example:5170')).toBe(
      'graft serve does not answer to the name "evil.example" (a defence against DNS rebinding). ' +
        'It listens on 127.0.0.1 only; to reach it by another name, start it with --host <address> --allow-host evil.example.',
    );
  });

  it('bound for remote use: also the machine\'s own names and addresses, and --allow-host names', () => {
    const policy = hostPolicy({ bindHost: '0.0.0.0', port: 80, allowHosts: ['GPU.Example.org'], machine: { hostnames: ['box'], addresses: ['192.168.1.5', 'fe80::1'] } });
    for (const ok of ['box', '192.168.1.5', '[fe80::1]', 'gpu.example.org', 'localhost:80']) expect(policy.allowsHost(ok), ok).toBe(true);
    expect(policy.allowsHost('evil.example')).toBe(false);
    expect(policy.refusal('evil.example')).toMatch(/start graft serve with --allow-host evil\.example\.$/);
  });

  it('compares the whole Origin: scheme, host and port, and the Host the request came with', () => {
    const policy = hostPolicy({ bindHost: '127.0.0.1', port: 5170 });
    expect(policy.allowsOrigin(undefined, '127.0.0.1:5170')).toBe(true);
    expect(policy.allowsOrigin('http://127.0.0.1:5170', '127.0.0.1:5170')).toBe(true);
    for (const origin of ['https://127.0.0.1:5170', 'http://127.0.0.1:5171', 'http://localhost:5170', 'http://evil.example:5170', 'null', 'http://u:p@127.0.0.1:5170']) {
      expect(policy.allowsOrigin(origin, '127.0.0.1:5170'), origin).toBe(false);
    }
  });
});

describe('graft serve checks Host before anything else', () => {
  let server: RunningServer;
  let rendererDir: string;
  beforeAll(async () => {
    rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-host-'));
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Graft</title>');
    server = await startServeServer({
      host: '127.0.0.1',
      port: 0,
      rendererDir,
      bus: new EventBus(),
      dispatcher: { dispatch: async () => ({ ok: true, value: null }) },
    });
  });
  afterAll(async () => {
    await server.dispose();
    fs.rmSync(rendererDir, { recursive: true, force: true });
  });

  function get(host: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const request = http.get({ host: '127.0.0.1', port: server.port, path: `/?token=${server.token}`, headers: { host } }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      request.on('error', reject);
    });
  }

  function upgrade(host: string, origin?: string): Promise<string> {
    return new Promise((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, { headers: { host, ...(origin ? { origin } : {}) } });
      ws.once('open', () => {
        ws.close();
        resolve('open');
      });
      ws.once('unexpected-response', (_req, res) => resolve(`HTTP ${res.statusCode}`));
      ws.once('error', () => resolve('error'));
    });
  }

  it('serves its own name with the token, and refuses a rebound name even with the token', async () => {
    expect((await get(`127.0.0.1:${server.port}`)).status).toBe(200);
    expect((await get(`localhost:${server.port}`)).status).toBe(200);
    const rebound = await get(`attacker.example:${server.port}`);
    expect(rebound.status).toBe(403);
    expect(rebound.body).toContain('--allow-host attacker.example');
  });

  it('refuses a WebSocket from a rebound name or a foreign origin, even on the same host name', async () => {
    const own = `127.0.0.1:${server.port}`;
    expect(await upgrade(own, `http://${own}`)).toBe('open');
    expect(await upgrade(`attacker.example:${server.port}`, `http://attacker.example:${server.port}`)).toBe('HTTP 403');
    expect(await upgrade(own, `https://${own}`)).toBe('HTTP 403');
    expect(await upgrade(own, `http://127.0.0.1:${server.port + 1}`)).toBe('HTTP 403');
  });
});
