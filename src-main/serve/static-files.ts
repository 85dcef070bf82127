import fs from 'node:fs';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import { sendFile } from './send-file';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** Content type for a file name, by extension. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Serves a file of the built renderer. Paths are resolved inside `root` only; anything
 * that is not a file there falls back to index.html so client-side routes reload.
 */
export async function serveRendererFile(root: string, pathname: string, response: ServerResponse): Promise<void> {
  const base = path.resolve(root);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    decoded = '/';
  }
  let target = path.resolve(base, '.' + decoded);
  if (target !== base && !target.startsWith(base + path.sep)) target = path.join(base, 'index.html');
  if (!isFile(target)) target = path.join(base, 'index.html');
  if (!isFile(target)) {
    response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('The renderer is not built. Run "npm run build" and start graft serve again.');
    return;
  }
  await sendFile(response, target, {
    'content-type': contentTypeOf(target),
    'cache-control': target.endsWith('.html') ? 'no-store' : 'private, max-age=3600',
  });
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
