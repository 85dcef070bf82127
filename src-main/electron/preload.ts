/**
 * The preload: exposes exactly one object, `window.graft`, typed by the contract.
 * Built as CommonJS so the window keeps `sandbox: true`.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { IPC_CHANNELS, isEventName, isRequestName, type EventMessage, type GraftBridge, type Reply } from '../api/contract';

const bridge: GraftBridge = {
  call: (name, ...params) => {
    if (!isRequestName(name)) return Promise.resolve({ ok: false, error: { code: 'bad-request', message: `Unknown request ${String(name)}` } });
    return ipcRenderer.invoke(IPC_CHANNELS.call, name, params[0]) as Promise<Reply<never>>;
  },
  on: (name, listener) => {
    if (!isEventName(name)) throw new Error(`Unknown event ${String(name)}`);
    const handler = (_event: IpcRendererEvent, message: EventMessage) => {
      if (message.name === name) listener(message.payload as Parameters<typeof listener>[0]);
    };
    ipcRenderer.on(IPC_CHANNELS.event, handler);
    return () => ipcRenderer.removeListener(IPC_CHANNELS.event, handler);
  },
  // Sandboxed pages no longer see File.path; drag-and-drop import needs the dropped folder's path.
  pathForFile: (file) => {
    try {
      return webUtils.getPathForFile(file as File) || null;
    } catch {
      return null;
    }
  },
};

contextBridge.exposeInMainWorld('graft', bridge);
