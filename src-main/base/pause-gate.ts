/** Thrown out of `PauseGate.wait` when the work was cancelled while it waited. */
export class PauseAbortedError extends Error {
  override readonly name = 'AbortError';
  constructor() {
    super('Cancelled while paused.');
  }
}

/**
 * A pause switch that long work checks between steps (a batch, a file): `wait()` returns at
 * once while running and holds while paused, until resumed or cancelled.
 */
export class PauseGate {
  private isPaused = false;
  private waiters: (() => void)[] = [];
  private readonly listeners = new Set<(paused: boolean) => void>();

  /** True while paused. */
  get paused(): boolean {
    return this.isPaused;
  }

  /** Pauses; false when already paused. */
  pause(): boolean {
    if (this.isPaused) return false;
    this.isPaused = true;
    this.notify();
    return true;
  }

  /** Resumes and releases every waiter; false when not paused. */
  resume(): boolean {
    if (!this.isPaused) return false;
    this.isPaused = false;
    for (const release of this.waiters.splice(0)) release();
    this.notify();
    return true;
  }

  /** Resolves when not paused; rejects with PauseAbortedError when `signal` aborts first. */
  wait(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new PauseAbortedError());
    if (!this.isPaused) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== release);
        reject(new PauseAbortedError());
      };
      const release = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiters.push(release);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Calls `listener` on every pause and resume; returns the unsubscribe function. */
  onChange(listener: (paused: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener(this.isPaused);
  }
}
