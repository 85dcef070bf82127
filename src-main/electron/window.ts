import path from 'node:path';
import { BrowserWindow, session, shell } from 'electron';
import { secureWebPreferences } from './web-preferences';

/** The Content-Security-Policy of the desktop renderer. */
export const RENDERER_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: graft-media:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/**
 * Locks the default session down: CSP on every response and no permission
 * (camera, notifications, …) is ever granted.
 */
export function hardenSession(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
}

/** Creates the main window: isolated, sandboxed, no Node, no navigation, no popups. */
export function createMainWindow(preloadPath: string, load: { file?: string; url?: string }): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Graft',
    webPreferences: secureWebPreferences(path.resolve(preloadPath)),
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  if (load.url) void window.loadURL(load.url);
  else if (load.file) void window.loadFile(load.file);
  return window;
}
