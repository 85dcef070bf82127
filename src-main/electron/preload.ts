/**
 * The preload: exposes exactly one object, `window.graft`, typed by the contract.
 * Built as CommonJS so the window keeps `sandbox: true`.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createIpcBridge } from './ipc-bridge';

// Sandboxed pages no longer see File.path; drag-and-drop import needs the dropped folder's path.
const pathForFile = (file: unknown): string | null => {
  try {
    return webUtils.getPathForFile(file as File) || null;
  } catch {
    return null;
  }
};

contextBridge.exposeInMainWorld('graft', createIpcBridge(ipcRenderer, pathForFile));
