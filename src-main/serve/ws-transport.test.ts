import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { createWsBridge } from '../../src-renderer/src/api/ws-bridge';
import { describeTransportConformance } from '../core/test-support/transport-conformance';
import { startServeServer } from './serve-server';

describeTransportConformance('the WebSocket of graft serve', async (services) => {
  const rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-renderer-'));
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Graft</title>');
  const server = await startServeServer({ host: '127.0.0.1', port: 0, rendererDir, dispatcher: services.dispatcher, bus: services.ctx.bus });
  const origin = `http://127.0.0.1:${server.port}`;
  return {
    connect: async () => {
      // The renderer's own bridge, over a Node WebSocket that sends the page's Origin.
      let opened!: () => void;
      const open = new Promise<void>((resolve) => (opened = resolve));
      const bridge = createWsBridge({
        url: `ws://127.0.0.1:${server.port}/ws?token=${server.token}`,
        createSocket: (url) => new WebSocket(url, { headers: { origin } }) as unknown as globalThis.WebSocket,
        onState: (state) => state === 'open' && opened(),
      });
      await open;
      return { bridge, close: () => bridge.close() };
    },
    dispose: async () => {
      await server.dispose();
      fs.rmSync(rendererDir, { recursive: true, force: true });
    },
  };
});
