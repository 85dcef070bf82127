import type { ApiEvents, EventMessage, EventName } from './contract';

/** Receives every pushed event; transports subscribe one of these. */
export type EventListener = (message: EventMessage) => void;

/** The typed publisher for main-side events; services emit, transports forward. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  /** Publishes an event to every subscribed transport. */
  emit<E extends EventName>(name: E, payload: ApiEvents[E]): void {
    const message = { name, payload } as EventMessage;
    for (const listener of this.listeners) listener(message);
  }

  /** Subscribes a transport; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
