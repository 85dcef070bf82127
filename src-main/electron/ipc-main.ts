import { ipcMain, type WebContents } from 'electron';
import { IPC_CHANNELS, type Reply } from '../api/contract';
import type { Dispatcher } from '../api/dispatcher';
import type { EventBus } from '../api/event-bus';
import type { Disposable } from '../base/lifecycle';
import { isTrustedSenderUrl, type RendererOrigin } from './trusted-sender';

/**
 * The Electron IPC transport of the contract: the only place that touches ipcMain.
 * Calls from untrusted frames are answered with an error and never dispatched.
 */
export function registerIpcTransport(dispatcher: Dispatcher, bus: EventBus, origin: RendererOrigin, target: () => WebContents | null): Disposable {
  ipcMain.handle(IPC_CHANNELS.call, async (event, name: unknown, params: unknown): Promise<Reply<unknown>> => {
    if (!isTrustedSenderUrl(event.senderFrame?.url, origin)) {
      return { ok: false, error: { code: 'bad-request', message: 'Request from an untrusted page was dropped.' } };
    }
    return dispatcher.dispatch(name, params);
  });
  const unsubscribe = bus.subscribe((message) => {
    const contents = target();
    if (contents && !contents.isDestroyed()) contents.send(IPC_CHANNELS.event, message);
  });
  return {
    dispose: () => {
      unsubscribe();
      ipcMain.removeHandler(IPC_CHANNELS.call);
    },
  };
}
