/** A value stream thinned to one emission per interval, where the latest value always arrives. */
export interface Coalescer<T> {
  /** Offers a value: emitted now when the interval has passed, else kept and emitted when it has. */
  push(value: T): void;
  /** Emits the kept value at once (the final progress of a job), if there is one. */
  flush(): void;
  /** Drops the kept value and any timer; nothing is emitted after this. */
  dispose(): void;
}

/** Clock and timers, injectable for tests. */
export interface CoalesceClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: CoalesceClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => {
    const timer = setTimeout(fn, ms);
    // A pending trailing emission must not keep a finished CLI process alive.
    timer.unref?.();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Throttles a stream of progress values at the source: the first value goes out at once,
 * later ones at most every `intervalMs`, and the last value offered is never lost — a
 * trailing emission carries it when no newer value follows.
 */
export function coalesce<T>(intervalMs: number, emit: (value: T) => void, clock: CoalesceClock = realClock): Coalescer<T> {
  let last = -Infinity;
  let pending: { value: T } | null = null;
  let timer: unknown = null;
  let disposed = false;

  const fire = () => {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
    if (!pending || disposed) return;
    const { value } = pending;
    pending = null;
    last = clock.now();
    emit(value);
  };

  return {
    push(value) {
      if (disposed) return;
      pending = { value };
      const wait = last + intervalMs - clock.now();
      if (wait <= 0) fire();
      else if (timer === null) timer = clock.setTimeout(fire, wait);
    },
    flush: fire,
    dispose() {
      disposed = true;
      pending = null;
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
    },
  };
}
