import type { ApiEvents, EventName, EventSubscription, GraftBridge, Reply, WsClientMessage, WsServerMessage } from '../../../src-main/api/contract';

/** Connection state of the WebSocket transport, for the status bar. */
export type ConnectionState = 'connecting' | 'open' | 'closed';

/** True when the socket can send now (compared with the socket's own OPEN, so any WebSocket implementation works). */
function isOpen(socket: WebSocket | null): socket is WebSocket {
  return socket !== null && socket.readyState === socket.OPEN;
}

/** Options for the WebSocket bridge; `url` defaults to this page's server. */
export interface WsBridgeOptions {
  url: string;
  onState?: (state: ConnectionState) => void;
  /** Creates the socket; injectable for tests. */
  createSocket?: (url: string) => WebSocket;
}

/** The `/ws` URL of the server that served this page, carrying the page's token if it has one. */
export function defaultSocketUrl(location: { protocol: string; host: string; search: string }): string {
  const token = new URLSearchParams(location.search).get('token');
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

interface Listener {
  name: EventName;
  topic: string | null;
  fn: (payload: never) => void;
}

/**
 * The contract over a WebSocket (`graft serve`). Calls wait for the socket to open;
 * a dropped connection fails pending calls and reconnects with backoff. Each listener
 * subscribes the socket to its event (and topic); a reconnect subscribes them all again.
 */
export function createWsBridge(options: WsBridgeOptions): GraftBridge & { close(): void } {
  const pending = new Map<number, (reply: Reply<unknown>) => void>();
  const listeners = new Set<Listener>();
  const queue: WsClientMessage[] = [];
  let socket: WebSocket | null = null;
  let nextId = 1;
  let retryMs = 250;
  let closed = false;

  const send = (message: WsClientMessage) => {
    if (isOpen(socket)) socket.send(JSON.stringify(message));
    else queue.push(message);
  };

  const connect = () => {
    options.onState?.('connecting');
    const ws = (options.createSocket ?? ((url) => new WebSocket(url)))(options.url);
    socket = ws;
    ws.onopen = () => {
      retryMs = 250;
      // A new connection knows no subscriptions: send every listener's again, before queued calls.
      for (const { name, topic } of listeners) ws.send(JSON.stringify({ kind: 'subscribe', name, topic } satisfies WsClientMessage));
      for (const message of queue.splice(0)) ws.send(JSON.stringify(message));
      options.onState?.('open');
    };
    ws.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as WsServerMessage;
      if (message.kind === 'reply') {
        pending.get(message.id)?.(message.reply);
        pending.delete(message.id);
      } else {
        for (const listener of [...listeners]) {
          if (listener.name === message.name && (listener.topic === null || listener.topic === message.topic)) listener.fn(message.payload as never);
        }
      }
    };
    ws.onclose = () => {
      socket = null;
      options.onState?.('closed');
      for (const resolve of pending.values()) {
        resolve({ ok: false, error: { code: 'io', message: 'Lost the connection to graft serve. Check that it is still running.' } });
      }
      pending.clear();
      // Those calls were just reported as failed: they must not run on the next connection.
      queue.length = 0;
      if (!closed) setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5_000);
    };
  };
  connect();

  return {
    call(name, ...params) {
      const message: WsClientMessage = { kind: 'call', id: nextId++, name, params: params[0] };
      return new Promise((resolve) => {
        pending.set(message.id, resolve as (reply: Reply<unknown>) => void);
        send(message);
      });
    },
    on<E extends EventName>(name: E, listener: (payload: ApiEvents[E]) => void, topic?: string) {
      const entry: Listener = { name, topic: topic ?? null, fn: listener as (payload: never) => void };
      const subscription: EventSubscription = { name, topic: entry.topic };
      listeners.add(entry);
      if (isOpen(socket)) socket.send(JSON.stringify({ kind: 'subscribe', ...subscription } satisfies WsClientMessage));
      return () => {
        if (!listeners.delete(entry)) return;
        if (isOpen(socket)) socket.send(JSON.stringify({ kind: 'unsubscribe', ...subscription } satisfies WsClientMessage));
      };
    },
    close() {
      closed = true;
      socket?.close();
    },
  };
}
