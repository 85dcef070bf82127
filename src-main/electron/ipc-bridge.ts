import { IPC_CHANNELS, type GraftBridge, type Reply, type WireEvent } from '../api/contract';
import { isRequestName } from '../api/params';

/** The part of Electron's `ipcRenderer` the bridge uses; injected so tests run it without Electron. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, message: WireEvent) => void): void;
  removeListener(channel: string, listener: (event: unknown, message: WireEvent) => void): void;
}

/**
 * The contract over Electron IPC, as the preload exposes it: calls are invoked on the call
 * channel; each listener subscribes the window to its event (and topic) in the main
 * process, and hears only the matching events.
 */
export function createIpcBridge(ipc: IpcRendererLike, pathForFile?: (file: unknown) => string | null): GraftBridge {
  return {
    call: (name, ...params) => {
      if (!isRequestName(name)) {
        return Promise.resolve({ ok: false, error: { code: 'bad-request', message: `Unknown request ${String(name)}` } });
      }
      return ipc.invoke(IPC_CHANNELS.call, name, params[0]) as Promise<Reply<never>>;
    },
    on: (name, listener, topic) => {
      const subscription = { name, topic: topic ?? null };
      const handler = (_event: unknown, message: WireEvent) => {
        if (message.name === name && (subscription.topic === null || message.topic === subscription.topic)) {
          listener(message.payload as Parameters<typeof listener>[0]);
        }
      };
      ipc.on(IPC_CHANNELS.event, handler);
      ipc.send(IPC_CHANNELS.subscribe, subscription);
      return () => {
        ipc.removeListener(IPC_CHANNELS.event, handler);
        ipc.send(IPC_CHANNELS.unsubscribe, subscription);
      };
    },
    ...(pathForFile ? { pathForFile } : {}),
  };
}
