import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Dispatcher } from '../api/dispatcher';
import type { EventBus } from '../api/event-bus';
import type { Disposable } from '../base/lifecycle';
import { hostPolicy, type HostPolicy, type MachineNames } from './host-check';
import { serveRendererFile } from './static-files';
import { generateToken, tokenCookieName, tokenFromRequest, tokensEqual } from './token';
import { attachWsTransport } from './ws-transport';

/** Extra authenticated HTTP routes (e.g. thumbnails); return false to fall through. */
export type RouteHandler = (request: http.IncomingMessage, response: http.ServerResponse, url: URL) => boolean | Promise<boolean>;

/** What `graft serve` needs to start. */
export interface ServeOptions {
  host: string;
  port: number;
  rendererDir: string;
  dispatcher: Dispatcher;
  bus: EventBus;
  routes?: RouteHandler[];
  /** Fixed token for tests; a random one otherwise. */
  token?: string;
  /** Extra names the server answers to when bound for remote use (see host-check.ts). */
  allowHosts?: readonly string[];
  /** The machine's names and addresses; looked up when absent (tests inject them). */
  machine?: MachineNames;
}

/** A running server: its URL (with the token) and how to stop it. */
export interface RunningServer extends Disposable {
  url: string;
  port: number;
  token: string;
}

/** Parses a request target; null when it is not a valid URL path. */
function parseRequestUrl(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://localhost');
  } catch {
    return null;
  }
}

function failRequest(response: http.ServerResponse, status: number, message: string): void {
  if (!response.headersSent) response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(message);
}

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/**
 * Starts the HTTP + WebSocket server of `graft serve`. Every HTTP request and WebSocket
 * upgrade must name this server in its Host header (DNS rebinding) and carry the token
 * (query or cookie); others get 403 or 401. The socket also checks that its Origin is this
 * server exactly, so another site cannot ride the cookie.
 */
export async function startServeServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? generateToken();
  let cookieName = '';
  // Set once listening (the port is part of every allowed Host); nothing is answered before.
  let policy: HostPolicy | null = null;
  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => failRequest(response, 500, `Error: ${(error as Error).message}`));
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  const transport = attachWsTransport(wss, options.dispatcher, options.bus);

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    if (!policy?.allowsHost(request.headers.host)) return failRequest(response, 403, policy?.refusal(request.headers.host) ?? 'Starting.');
    const url = parseRequestUrl(request.url);
    if (!url) return failRequest(response, 400, 'Bad request.');
    const given = tokenFromRequest(request, url, cookieName);
    if (!tokensEqual(given.token, token)) {
      response.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('Unauthorized: open the URL that "graft serve" printed (it carries the access token).');
      return;
    }
    if (given.fromQuery) {
      // Port-specific name: several serves on one host keep their own token.
      response.setHeader('set-cookie', `${cookieName}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405).end();
      return;
    }
    for (const route of options.routes ?? []) if (await route(request, response, url)) return;
    await serveRendererFile(options.rendererDir, url.pathname, response);
  }

  // Anything a client sends is untrusted: no header, URL or cookie may throw out of a listener
  // and take the process down.
  server.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const { host, origin } = request.headers;
    if (!policy?.allowsHost(host)) return refuse('403 Forbidden');
    const url = parseRequestUrl(request.url);
    if (!url) return refuse('400 Bad Request');
    if (url.pathname !== '/ws') return refuse('404 Not Found');
    if (!tokensEqual(tokenFromRequest(request, url, cookieName).token, token)) return refuse('401 Unauthorized');
    // The whole origin (scheme, host, port) must be this server, so another site cannot ride the cookie.
    if (!policy.allowsOrigin(origin, host)) return refuse('403 Forbidden');
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  cookieName = tokenCookieName(port);
  policy = hostPolicy({ bindHost: options.host, port, allowHosts: options.allowHosts, machine: options.machine });
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${hostForUrl}:${port}/?token=${token}`,
    port,
    token,
    dispose: async () => {
      transport.dispose();
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
