import type { WebSocket, WebSocketServer } from 'ws';
import { topicOf, type EventSubscription, type WsClientMessage, type WsServerMessage } from '../api/contract';
import type { Dispatcher } from '../api/dispatcher';
import type { EventBus } from '../api/event-bus';
import { EventSubscriptions, parseSubscription } from '../api/event-subscriptions';
import { isRequestName } from '../api/params';
import type { Disposable } from '../base/lifecycle';

/** Parses one client frame; null when it is not a well-formed call or (un)subscription. */
export function parseClientMessage(data: string): WsClientMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const message = value as Record<string, unknown>;
  if (message.kind === 'call') {
    if (!Number.isSafeInteger(message.id) || !isRequestName(message.name)) {
      // An unknown name still gets an answer (the dispatcher refuses it), so keep the id.
      if (Number.isSafeInteger(message.id) && typeof message.name === 'string') {
        return { kind: 'call', id: message.id as number, name: message.name as never, params: message.params };
      }
      return null;
    }
    return { kind: 'call', id: message.id as number, name: message.name, params: message.params };
  }
  if (message.kind === 'subscribe' || message.kind === 'unsubscribe') {
    const subscription: EventSubscription | null = parseSubscription(message);
    return subscription ? { kind: message.kind, ...subscription } : null;
  }
  return null;
}

/**
 * The WebSocket transport of the contract: calls in, replies out, and the pushed events each
 * socket subscribed to (by name, or by name and topic). Authentication happens before the
 * upgrade, in the HTTP server.
 */
export function attachWsTransport(wss: WebSocketServer, dispatcher: Dispatcher, bus: EventBus): Disposable {
  const subscriptions = new Map<WebSocket, EventSubscriptions>();
  const send = (socket: WebSocket, message: WsServerMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  wss.on('connection', (socket) => {
    const wanted = new EventSubscriptions();
    subscriptions.set(socket, wanted);
    socket.on('close', () => subscriptions.delete(socket));
    // A malformed or oversized frame must end this socket, not the process.
    socket.on('error', () => socket.terminate());
    socket.on('message', (data, isBinary) => {
      const message = isBinary ? null : parseClientMessage(data.toString());
      if (!message) {
        socket.close(1003, 'Malformed message');
        return;
      }
      switch (message.kind) {
        case 'call':
          void dispatcher.dispatch(message.name, message.params).then((reply) => send(socket, { kind: 'reply', id: message.id, reply }));
          return;
        case 'subscribe':
          wanted.add(message);
          return;
        case 'unsubscribe':
          wanted.remove(message);
          return;
      }
    });
  });
  const unsubscribe = bus.subscribe((event) => {
    const topic = topicOf(event);
    for (const [socket, wanted] of subscriptions) {
      if (wanted.wants(event)) send(socket, { kind: 'event', ...event, topic });
    }
  });
  return { dispose: unsubscribe };
}
