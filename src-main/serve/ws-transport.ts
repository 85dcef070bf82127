import type { WebSocket, WebSocketServer } from 'ws';
import type { WsClientMessage, WsServerMessage } from '../api/contract';
import type { Dispatcher } from '../api/dispatcher';
import type { EventBus } from '../api/event-bus';
import type { Disposable } from '../base/lifecycle';

/** Parses one client frame; null when it is not a well-formed call. */
export function parseClientMessage(data: string): WsClientMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  const message = value as Partial<WsClientMessage> | null;
  if (!message || message.kind !== 'call' || typeof message.id !== 'number' || typeof message.name !== 'string') return null;
  return { kind: 'call', id: message.id, name: message.name, params: message.params };
}

/**
 * The WebSocket transport of the contract: calls in, replies and pushed events out.
 * Authentication happens before the upgrade, in the HTTP server.
 */
export function attachWsTransport(wss: WebSocketServer, dispatcher: Dispatcher, bus: EventBus): Disposable {
  const send = (socket: WebSocket, message: WsServerMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  wss.on('connection', (socket) => {
    // A malformed or oversized frame must end this socket, not the process.
    socket.on('error', () => socket.terminate());
    socket.on('message', (data, isBinary) => {
      const message = isBinary ? null : parseClientMessage(data.toString());
      if (!message) {
        socket.close(1003, 'Malformed message');
        return;
      }
      void dispatcher.dispatch(message.name, message.params).then((reply) => send(socket, { kind: 'reply', id: message.id, reply }));
    });
  });
  const unsubscribe = bus.subscribe((event) => {
    for (const socket of wss.clients) send(socket, { kind: 'event', name: event.name, payload: event.payload });
  });
  return { dispose: unsubscribe };
}
