/** Rate and time-left figures for a job that counts items. */
export interface RateReading {
  perSecond: number;
  etaSeconds: number | null;
}

/**
 * Measures items per second over a sliding window, so the ETA follows the current speed
 * (cached files at the start of a re-import go much faster than new ones).
 */
export class RateMeter {
  private readonly samples: { at: number; done: number }[] = [];

  constructor(
    private readonly windowMs = 5000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Records progress and returns the rate and the time left to reach `total`. */
  read(done: number, total: number): RateReading {
    const at = this.now();
    // One sample per tenth of a second is plenty for the window and keeps it short when read per file.
    const latest = this.samples.at(-1);
    if (!latest || at - latest.at >= 100) this.samples.push({ at, done });
    while (this.samples.length > 2 && at - this.samples[0]!.at > this.windowMs) this.samples.shift();
    const first = this.samples[0]!;
    const seconds = (at - first.at) / 1000;
    const perSecond = seconds > 0 ? (done - first.done) / seconds : 0;
    const etaSeconds = perSecond > 0 ? Math.max(0, total - done) / perSecond : null;
    return { perSecond, etaSeconds };
  }
}
