/** A function that runs once its calls pause for `ms`, with ways to run it now or drop the pending call. */
export interface Debounced<A extends unknown[]> {
  (...args: A): void;
  /** Runs the pending call now (Enter in a filter field). */
  flush(): void;
  /** Drops the pending call (the component is going away). */
  cancel(): void;
}

/** Delays `fn` until its calls pause for `ms` milliseconds; the last arguments win. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending: A | null = null;
  const run = () => {
    timer = null;
    const args = pending;
    pending = null;
    if (args) fn(...args);
  };
  const debounced = ((...args: A) => {
    pending = args;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(run, ms);
  }) as Debounced<A>;
  debounced.flush = () => {
    if (timer !== null) clearTimeout(timer);
    run();
  };
  debounced.cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    pending = null;
  };
  return debounced;
}
