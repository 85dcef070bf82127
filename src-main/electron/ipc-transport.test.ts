import { describe, expect, it } from 'vitest';
import { IPC_CHANNELS } from '../api/contract';
import { createDispatcher } from '../api/dispatcher';
import { EventBus } from '../api/event-bus';
import { describeTransportConformance } from '../core/test-support/transport-conformance';
import { createIpcBridge } from './ipc-bridge';
import { registerIpcTransport } from './ipc-main';
import { APP_ENTRY_URL } from './app-url';
import { fakeIpc } from './test-support/fake-ipc';

const origin = { devServerUrl: null };

describeTransportConformance('Electron IPC', async (services) => {
  const windows: ReturnType<typeof fakeIpc>[] = [];
  const disposers: (() => void)[] = [];
  return {
    // Each client is a window with its own IPC channel pair, as a second window would be.
    connect: async () => {
      const ipc = fakeIpc(APP_ENTRY_URL, windows.length + 1);
      windows.push(ipc);
      const transport = registerIpcTransport(ipc.ipcMain, services.dispatcher, services.ctx.bus, origin, () => ipc.target);
      disposers.push(() => transport.dispose());
      return { bridge: createIpcBridge(ipc.ipcRenderer), close: () => ipc.destroy() };
    },
    dispose: () => disposers.forEach((d) => d()),
  };
});

describe('Electron IPC trust', () => {
  const dispatcher = createDispatcher({ 'app.info': () => ({ version: '1', mode: 'electron', canPickFolder: true }) } as never, () => undefined);

  it('drops calls and subscriptions from a frame that is not our page', async () => {
    const bus = new EventBus();
    const ipc = fakeIpc('https://evil.example/');
    registerIpcTransport(ipc.ipcMain, dispatcher, bus, origin, () => ipc.target);
    const bridge = createIpcBridge(ipc.ipcRenderer);
    expect(await bridge.call('app.info')).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('untrusted') } });
    const seen: unknown[] = [];
    bridge.on('library.changed', (p) => seen.push(p));
    await new Promise((r) => setTimeout(r, 10));
    bus.emit('library.changed', { reason: 'labels' });
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual([]);
  });

  it('forgets a reloaded page\'s subscriptions and removes its handlers on dispose', async () => {
    const bus = new EventBus();
    const ipc = fakeIpc(APP_ENTRY_URL);
    const transport = registerIpcTransport(ipc.ipcMain, dispatcher, bus, origin, () => ipc.target);
    const bridge = createIpcBridge(ipc.ipcRenderer);
    const seen: string[] = [];
    bridge.on('library.changed', (p) => seen.push(p.reason));
    await new Promise((r) => setTimeout(r, 10));
    bus.emit('library.changed', { reason: 'labels' });
    transport.forget(1);
    bus.emit('library.changed', { reason: 'classes' });
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual(['labels']);
    expect(await bridge.call('app.info')).toMatchObject({ ok: true });
    transport.dispose();
    expect(ipc.handlerCount()).toBe(0);
    await expect(ipc.ipcRenderer.invoke(IPC_CHANNELS.call, 'app.info')).rejects.toThrow('No handler');
  });
});
