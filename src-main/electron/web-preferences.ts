import type { WebPreferences } from 'electron';

/** The renderer's web preferences: isolated, sandboxed, no Node, with our preload only. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    // A middle click must not open a new window around the popup rules.
    disableBlinkFeatures: 'Auxclick',
  };
}
