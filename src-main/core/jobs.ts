import type { JobProgress } from '../api/contract';
import { GraftError } from '../api/errors';
import type { EventBus } from '../api/event-bus';

/** What a running job sees: a cancel signal and a way to report progress. */
export interface JobContext {
  signal: AbortSignal;
  progress(done: number, total: number, message?: string, rate?: Pick<JobProgress, 'ratePerSecond' | 'etaSeconds'>): void;
}

/** Progress events are throttled to this interval, except the final one. */
const PROGRESS_INTERVAL_MS = 100;

/**
 * Tracks long jobs by an id the caller chose, so 'job.cancel' can stop them and their
 * progress reaches every transport as 'job.progress'.
 */
export class JobRegistry {
  private readonly running = new Map<string, AbortController>();
  private readonly settled = new Map<string, Promise<unknown>>();

  constructor(private readonly bus: EventBus) {}

  /** Runs `work` as job `jobId`; the id must not be in use. */
  async run<T>(jobId: string, kind: string, work: (ctx: JobContext) => Promise<T>): Promise<T> {
    if (!jobId) throw new GraftError('bad-request', 'A job needs an id.');
    if (this.running.has(jobId)) throw new GraftError('bad-request', `Job ${jobId} is already running.`);
    const controller = new AbortController();
    this.running.set(jobId, controller);
    let last = 0;
    const emit: JobContext['progress'] = (done, total, message = '', rate = {}) => {
      const now = Date.now();
      if (done < total && now - last < PROGRESS_INTERVAL_MS) return;
      last = now;
      const event: JobProgress = { jobId, kind, done, total, message, ...rate };
      this.bus.emit('job.progress', event);
    };
    const done = work({ signal: controller.signal, progress: emit });
    this.settled.set(jobId, done.catch(() => undefined));
    try {
      return await done;
    } finally {
      this.running.delete(jobId);
      this.settled.delete(jobId);
    }
  }

  /** True while any job runs. */
  get busy(): boolean {
    return this.running.size > 0;
  }

  /** Cancels every job and waits (up to `timeoutMs`) until each has stopped writing. */
  async stopAll(timeoutMs = 10_000): Promise<void> {
    this.cancelAll();
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    await Promise.race([Promise.all(this.settled.values()), timeout]);
  }

  /** Asks job `jobId` to stop; false when no such job runs. */
  cancel(jobId: string): boolean {
    const controller = this.running.get(jobId);
    controller?.abort();
    return controller !== undefined;
  }

  /** Cancels everything (on shutdown). */
  cancelAll(): void {
    for (const controller of this.running.values()) controller.abort();
  }
}
