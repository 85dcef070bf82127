import path from 'node:path';
import { BrowserWindow, session, shell } from 'electron';
import { isAllowedExternalUrl } from './external-links';
import { secureWebPreferences } from './web-preferences';

/** The Content-Security-Policy of the desktop renderer ('self' is app://graft). */
export const RENDERER_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: graft-media:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/**
 * Locks the default session down: CSP on every response, and no permission (camera,
 * notifications, …) ever granted when asked for, nor reported as granted when checked.
 */
export function hardenSession(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

/** Opens a link in the user's browser only when it is one the app itself shows (see external-links.ts). */
function openIfAllowed(url: string): void {
  if (isAllowedExternalUrl(url)) void shell.openExternal(url);
}

/** Creates the main window: isolated, sandboxed, no Node, no navigation, no popups; `url` is the UI's. */
export function createMainWindow(preloadPath: string, url: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Graft',
    webPreferences: secureWebPreferences(path.resolve(preloadPath)),
  });
  window.webContents.setWindowOpenHandler(({ url: target }) => {
    openIfAllowed(target);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, target) => {
    event.preventDefault();
    openIfAllowed(target);
  });
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  void window.loadURL(url);
  return window;
}
