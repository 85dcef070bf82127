import { GraftError } from '../../api/errors';

/** A cached value lent to one request; `release()` when the request is done with it. */
export interface Lease<T> {
  value: T;
  release(): void;
}

interface Entry<T> {
  promise: Promise<T>;
  value: T | null;
  refs: number;
  lastUsed: number;
}

/**
 * Keeps built-and-loaded models for the life of the engine process, keyed by everything that
 * changes the model, so repeated requests skip the build and the weights load. Requests that
 * ask for the same key while it is being built share that build. At most `capacity` models
 * are kept: a VGG16 with its top is ~550 MB, so the least recently used idle model is
 * disposed beyond that; one in use is never disposed under a running request.
 */
export class ModelCache<T extends { dispose(): void }> {
  private readonly entries = new Map<string, Entry<T>>();
  private clock = 0;

  constructor(private readonly capacity = 3) {}

  /**
   * Lends the value for `key`, creating it with `create` when absent. A shared build that was
   * cancelled by another request is started again for a request that was not cancelled.
   */
  async acquire(key: string, create: () => Promise<T>, signal?: AbortSignal): Promise<Lease<T>> {
    for (;;) {
      let entry = this.entries.get(key);
      if (!entry) entry = this.start(key, create);
      entry.refs += 1;
      entry.lastUsed = ++this.clock;
      try {
        const value = await entry.promise;
        this.evict();
        return { value, release: once(() => this.release(entry!)) };
      } catch (error) {
        entry.refs -= 1;
        if (error instanceof GraftError && error.code === 'cancelled' && !signal?.aborted) continue;
        throw error;
      }
    }
  }

  /** Number of models held (built or being built). */
  get size(): number {
    return this.entries.size;
  }

  /** Disposes every idle model (those in use are disposed when released). */
  dispose(): void {
    for (const [key, entry] of this.entries) {
      if (entry.refs === 0 && entry.value) {
        this.entries.delete(key);
        entry.value.dispose();
      }
    }
  }

  private start(key: string, create: () => Promise<T>): Entry<T> {
    const entry: Entry<T> = { promise: create(), value: null, refs: 0, lastUsed: 0 };
    this.entries.set(key, entry);
    entry.promise.then(
      (value) => (entry.value = value),
      () => {
        // A failed build (offline, bad file, cancelled) is not kept: the next request tries again.
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry;
  }

  private release(entry: Entry<T>): void {
    entry.refs -= 1;
    this.evict();
  }

  private evict(): void {
    while (this.entries.size > this.capacity) {
      let oldest: [string, Entry<T>] | null = null;
      for (const pair of this.entries) {
        const [, entry] = pair;
        if (entry.refs === 0 && entry.value && (!oldest || entry.lastUsed < oldest[1].lastUsed)) oldest = pair;
      }
      if (!oldest) return;
      this.entries.delete(oldest[0]);
      oldest[1].value!.dispose();
    }
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (!done) fn();
    done = true;
  };
}
