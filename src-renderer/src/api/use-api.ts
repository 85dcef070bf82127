import { ref } from 'vue';
import type { GraftBridge } from '../../../src-main/api/contract';
import { createApiClient, type ApiClient } from './api-client';
import { createWsBridge, defaultSocketUrl, type ConnectionState } from './ws-bridge';

let client: ApiClient | null = null;

/** Connection state shown in the status bar ('open' always under Electron IPC). */
export const connectionState = ref<ConnectionState>('connecting');

/**
 * Picks the transport once at start: the preload's `window.graft` in Electron,
 * else a WebSocket to the `graft serve` that served this page.
 */
export function installApiClient(win: Window & { graft?: GraftBridge }): ApiClient {
  if (win.graft) {
    connectionState.value = 'open';
    bridgePathForFile = win.graft.pathForFile ?? null;
    client = createApiClient(win.graft);
  } else {
    client = createApiClient(createWsBridge({ url: defaultSocketUrl(win.location), onState: (s) => (connectionState.value = s) }));
  }
  return client;
}

let bridgePathForFile: ((file: unknown) => string | null) | null = null;

/** The path of a dropped file or folder (desktop app only); null in a browser. */
export function pathForDroppedFile(file: unknown): string | null {
  return bridgePathForFile ? bridgePathForFile(file) : null;
}

/** Sets the client directly (component tests). */
export function setApiClient(next: ApiClient): void {
  client = next;
}

/** The API client for views, stores and composables. */
export function useApi(): ApiClient {
  if (!client) throw new Error('API client not installed');
  return client;
}
