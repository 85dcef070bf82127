import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { MEDIA_SCHEME } from '../api/media-url';
import { APP_SCHEME, resolveAppFile } from './app-url';
import { RENDERER_CSP } from './window';

/**
 * Declares Graft's schemes before the app is ready, in one call as Electron requires: `app:`
 * serves the UI (a standard, secure origin of its own instead of file://), `graft-media:`
 * serves photos by id.
 */
export function registerSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves the built renderer at app://graft/, only files inside `rendererDir`, with the renderer's CSP. */
export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(rendererDir, request.url);
    if (!file) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    const response = await net.fetch(pathToFileURL(file).href);
    const headers = new Headers(response.headers);
    headers.set('content-security-policy', RENDERER_CSP);
    headers.set('x-content-type-options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}
