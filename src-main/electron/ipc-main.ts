import { IPC_CHANNELS, topicOf, type Reply, type WireEvent } from '../api/contract';
import type { Dispatcher } from '../api/dispatcher';
import type { EventBus } from '../api/event-bus';
import { EventSubscriptions, parseSubscription } from '../api/event-subscriptions';
import type { Disposable } from '../base/lifecycle';
import { isTrustedSenderUrl, type RendererOrigin } from './trusted-sender';

/** What an IPC message says about its sender. */
export interface IpcSenderEvent {
  senderFrame?: { url: string } | null;
  sender: { id: number };
}

/** The part of Electron's `ipcMain` the transport uses; injected so tests run it without Electron. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcSenderEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: IpcSenderEvent, ...args: unknown[]) => void): void;
  removeListener(channel: string, listener: (event: IpcSenderEvent, ...args: unknown[]) => void): void;
}

/** The window events go to: its id, and a way to send while it lives. */
export interface IpcTarget {
  readonly id: number;
  isDestroyed(): boolean;
  send(channel: string, message: WireEvent): void;
}

/** The registered transport; `forget` drops a window's subscriptions when its page reloads (the new page subscribes afresh). */
export interface IpcTransport extends Disposable {
  forget(contentsId: number): void;
}

/**
 * The Electron IPC transport of the contract: the only place that handles the IPC channels.
 * Calls and subscriptions from untrusted frames are dropped; a window receives only the
 * events it subscribed to (by name, or by name and topic).
 */
export function registerIpcTransport(
  ipc: IpcMainLike,
  dispatcher: Dispatcher,
  bus: EventBus,
  origin: RendererOrigin,
  target: () => IpcTarget | null,
): IpcTransport {
  const subscriptions = new Map<number, EventSubscriptions>();
  const trusted = (event: IpcSenderEvent) => isTrustedSenderUrl(event.senderFrame?.url, origin);
  const wantedBy = (id: number) => {
    let wanted = subscriptions.get(id);
    if (!wanted) subscriptions.set(id, (wanted = new EventSubscriptions()));
    return wanted;
  };

  ipc.handle(IPC_CHANNELS.call, async (event, name, params): Promise<Reply<unknown>> => {
    if (!trusted(event)) return { ok: false, error: { code: 'bad-request', message: 'Request from an untrusted page was dropped.' } };
    return dispatcher.dispatch(name, params);
  });
  const onSubscribe = (event: IpcSenderEvent, value: unknown) => {
    const subscription = parseSubscription(value);
    if (trusted(event) && subscription) wantedBy(event.sender.id).add(subscription);
  };
  const onUnsubscribe = (event: IpcSenderEvent, value: unknown) => {
    const subscription = parseSubscription(value);
    if (trusted(event) && subscription) subscriptions.get(event.sender.id)?.remove(subscription);
  };
  ipc.on(IPC_CHANNELS.subscribe, onSubscribe);
  ipc.on(IPC_CHANNELS.unsubscribe, onUnsubscribe);

  const unsubscribe = bus.subscribe((message) => {
    const contents = target();
    if (!contents || contents.isDestroyed()) return;
    if (subscriptions.get(contents.id)?.wants(message)) contents.send(IPC_CHANNELS.event, { ...message, topic: topicOf(message) });
  });
  return {
    forget: (contentsId) => subscriptions.delete(contentsId),
    dispose: () => {
      unsubscribe();
      ipc.removeHandler(IPC_CHANNELS.call);
      ipc.removeListener(IPC_CHANNELS.subscribe, onSubscribe);
      ipc.removeListener(IPC_CHANNELS.unsubscribe, onUnsubscribe);
    },
  };
}
