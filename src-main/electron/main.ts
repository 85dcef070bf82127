/**
 * Electron main process: thin glue. Builds the core services, connects them to the
 * window over IPC, and starts the engine as a utilityProcess.
 */
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain } from 'electron';
import { createAppServices, type AppServices } from '../core/app-services';
import { handleAppProtocol, registerSchemes } from './app-protocol';
import { APP_ENTRY_URL } from './app-url';
import { registerIpcTransport } from './ipc-main';
import { handleMediaProtocol } from './media-protocol';
import { utilityEngineSpawner } from './utility-engine';
import { createMainWindow, hardenSession } from './window';

const here = import.meta.dirname;

function projectDirFromArgv(argv: string[]): string | null {
  const candidate = argv.slice(app.isPackaged ? 1 : 2).find((arg) => !arg.startsWith('-') && arg !== '.');
  return candidate ? path.resolve(candidate) : null;
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  registerSchemes();
  await app.whenReady();
  hardenSession();

  let window: BrowserWindow | null = null;
  const logError = (message: string, error: unknown) => console.error(`[graft] ${message}`, error);
  const initialProject = projectDirFromArgv(process.argv);
  const options = {
    mode: 'electron' as const,
    spawnEngine: utilityEngineSpawner(path.join(here, 'engine.js'), path.join(app.getPath('userData'), 'models')),
    logError,
    pickFolder: async () => {
      const dialogOptions = { properties: ['openDirectory', 'createDirectory'] as Array<'openDirectory' | 'createDirectory'> };
      const result = window ? await dialog.showOpenDialog(window, dialogOptions) : await dialog.showOpenDialog(dialogOptions);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
  let services: AppServices;
  try {
    services = createAppServices({ ...options, projectDir: initialProject ?? undefined });
  } catch (error) {
    dialog.showErrorBox('Cannot open project', (error as Error).message);
    services = createAppServices(options);
  }
  const { ctx } = services;

  handleMediaProtocol(ctx.session);
  // The UI comes from app://graft/, never file://: a page of its own origin, and only files of the renderer folder.
  handleAppProtocol(path.join(here, '../renderer'));

  // Only `npm run dev` may point the window (and IPC trust) at a dev server.
  const devServerUrl = app.isPackaged ? null : (process.env.ELECTRON_RENDERER_URL ?? null);
  const transport = registerIpcTransport(ipcMain, services.dispatcher, ctx.bus, { devServerUrl }, () => window?.webContents ?? null);
  window = createMainWindow(path.join(here, '../preload/index.cjs'), devServerUrl ?? APP_ENTRY_URL);
  window.on('closed', () => (window = null));
  // A reloaded page subscribes afresh; the old page's subscriptions go.
  const contentsId = window.webContents.id;
  window.webContents.on('did-start-loading', () => transport.forget(contentsId));

  app.on('second-instance', () => window?.focus());
  app.on('window-all-closed', () => app.quit());
  // Quit waits for running jobs to stop and the database to close, so no batch is cut in half.
  let disposed = false;
  app.on('will-quit', (event) => {
    if (disposed) return;
    event.preventDefault();
    transport.dispose();
    void services.dispose().finally(() => {
      disposed = true;
      app.quit();
    });
  });
}

void main();
