import { nullable, object, str } from '../base/parse';
import { isEventName, topicOf, type EventMessage, type EventSubscription } from './contract';

/** Checks a subscription a client sent; null when it is malformed or names no event. */
export function parseSubscription(value: unknown): EventSubscription | null {
  try {
    const parsed = object({ name: str({ nonEmpty: true, maxLength: 100 }), topic: nullable(str({ maxLength: 200 })) })(value);
    return isEventName(parsed.name) ? { name: parsed.name, topic: parsed.topic ?? null } : null;
  } catch {
    return null;
  }
}

/**
 * What one client (a socket, a window) listens to: whole event names, or single topics of
 * them. A transport forwards an event only when its client subscribed to it.
 */
export class EventSubscriptions {
  private readonly counts = new Map<string, number>();

  /** Adds one listener's interest; the same subscription may be added several times. */
  add(subscription: EventSubscription): void {
    const key = keyOf(subscription.name, subscription.topic);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Removes one listener's interest. */
  remove(subscription: EventSubscription): void {
    const key = keyOf(subscription.name, subscription.topic);
    const count = (this.counts.get(key) ?? 0) - 1;
    if (count > 0) this.counts.set(key, count);
    else this.counts.delete(key);
  }

  /** True when the client listens to this event: to its whole name, or to its topic. */
  wants(message: EventMessage): boolean {
    if (this.counts.has(keyOf(message.name, null))) return true;
    const topic = topicOf(message);
    return topic !== null && this.counts.has(keyOf(message.name, topic));
  }

  /** Forgets everything (the client went away). */
  clear(): void {
    this.counts.clear();
  }
}

function keyOf(name: string, topic: string | null): string {
  return topic === null ? name : `${name}\u0000${topic}`;
}
