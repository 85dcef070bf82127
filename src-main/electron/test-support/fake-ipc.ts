import type { WireEvent } from '../../api/contract';
import type { IpcRendererLike } from '../ipc-bridge';
import type { IpcMainLike, IpcSenderEvent, IpcTarget } from '../ipc-main';

type MainListener = (event: IpcSenderEvent, ...args: unknown[]) => void;
type RendererListener = (event: unknown, message: WireEvent) => void;

/**
 * An in-memory stand-in for Electron's ipcMain and one window's ipcRenderer, wired to each
 * other as Electron wires them: arguments and results are structured-cloned, as they are
 * across the real process boundary, and each message carries its frame's URL.
 */
export function fakeIpc(frameUrl: string, contentsId = 1) {
  const handlers = new Map<string, (event: IpcSenderEvent, ...args: unknown[]) => Promise<unknown>>();
  const mainListeners = new Map<string, Set<MainListener>>();
  const rendererListeners = new Map<string, Set<RendererListener>>();
  const sender: IpcSenderEvent = { senderFrame: { url: frameUrl }, sender: { id: contentsId } };
  const setOf = <T>(map: Map<string, Set<T>>, channel: string) => {
    let set = map.get(channel);
    if (!set) map.set(channel, (set = new Set()));
    return set;
  };
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel),
    on: (channel, listener) => void setOf(mainListeners, channel).add(listener),
    removeListener: (channel, listener) => void setOf(mainListeners, channel).delete(listener),
  };
  let destroyed = false;
  const target: IpcTarget = {
    id: contentsId,
    isDestroyed: () => destroyed,
    send: (channel, message) => {
      const copy = structuredClone(message);
      queueMicrotask(() => {
        for (const listener of [...setOf(rendererListeners, channel)]) listener({}, copy);
      });
    },
  };
  const ipcRenderer: IpcRendererLike = {
    invoke: async (channel, ...args) => {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      return structuredClone(await handler(sender, ...structuredClone(args)));
    },
    send: (channel, ...args) => {
      const copy = structuredClone(args);
      queueMicrotask(() => {
        for (const listener of [...setOf(mainListeners, channel)]) listener(sender, ...copy);
      });
    },
    on: (channel, listener) => void setOf(rendererListeners, channel).add(listener),
    removeListener: (channel, listener) => void setOf(rendererListeners, channel).delete(listener),
  };
  return { ipcMain, ipcRenderer, target, sender, destroy: () => (destroyed = true), handlerCount: () => handlers.size };
}
