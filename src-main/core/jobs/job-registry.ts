import { randomUUID } from 'node:crypto';
import { coalesce, type Coalescer } from '../../base/coalesce';
import { PauseGate } from '../../base/pause-gate';
import type { ErrorLogger } from '../../api/dispatcher';
import { GraftError, toApiError } from '../../api/errors';
import type { EventBus } from '../../api/event-bus';
import { FINAL_JOB_STATUSES, type JobInfo, type JobInfoOf, type JobKind, type JobKinds } from '../../api/types/jobs';

/** What running work sees: its id, a cancel signal, a pause gate, and where to report. */
export interface JobContext<K extends JobKind> {
  readonly id: string;
  readonly signal: AbortSignal;
  /** Work that can pause waits on this between steps (or forwards it, e.g. to the engine). */
  readonly pause: PauseGate;
  /** Reports progress: stored at once, pushed to clients at most every 100 ms, the latest never lost. */
  progress(value: JobKinds[K]['progress']): void;
  /** Marks the job as waiting in a queue at `position` (1 = next), or running again with null. */
  queued(position: number | null): void;
}

/** A job to start: its kind, title, parameters and the work itself. */
export interface JobSpec<K extends JobKind> {
  kind: K;
  title: string;
  params: JobKinds[K]['params'];
  /** Whether the work honours `ctx.pause` (shown as a Pause button). */
  canPause?: boolean;
  run(ctx: JobContext<K>): Promise<JobKinds[K]['result']>;
}

/** Tuning of the registry; defaults suit the app. */
export interface JobRegistryOptions {
  logError?: ErrorLogger;
  /** Finished jobs kept for `jobs.list` after they end. */
  keepFinished?: number;
  progressIntervalMs?: number;
}

interface Entry {
  info: JobInfo;
  controller: AbortController;
  gate: PauseGate;
  progress: Coalescer<unknown>;
  done: Promise<JobInfo>;
}

/**
 * Every long job of the app (import, export, extraction, training …): started with an id
 * returned at once, followed by any window through `jobs.list`/`jobs.get` and the
 * `job.*` events, controlled by id (cancel, pause, resume). A job outlives the request
 * and the page that started it.
 */
export class JobRegistry {
  private readonly jobs = new Map<string, Entry>();

  constructor(
    private readonly bus: EventBus,
    private readonly options: JobRegistryOptions = {},
  ) {}

  /** Starts `spec` and returns its info at once; the work runs on. */
  start<K extends JobKind>(spec: JobSpec<K>): JobInfoOf<K> {
    const id = randomUUID();
    const controller = new AbortController();
    const gate = new PauseGate();
    const info: JobInfoOf<K> = {
      id,
      kind: spec.kind,
      title: spec.title,
      status: 'running',
      params: spec.params,
      progress: null,
      queuePosition: null,
      canPause: spec.canPause === true,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      result: null,
      error: null,
    };
    const entry = { info: info as JobInfo, controller, gate } as Entry;
    entry.progress = coalesce(this.options.progressIntervalMs ?? 100, (progress) =>
      this.bus.emit('job.progress', { jobId: id, kind: spec.kind, progress } as never),
    );
    this.jobs.set(id, entry);
    this.bus.emit('job.started', { job: this.snapshot(entry) });
    const ctx: JobContext<K> = {
      id,
      signal: controller.signal,
      pause: gate,
      progress: (value) => {
        if (this.isFinal(entry)) return;
        entry.info.progress = value as never;
        entry.progress.push(value);
      },
      queued: (position) => {
        if (this.isFinal(entry)) return;
        entry.info.queuePosition = position;
        entry.info.status = position === null ? (gate.paused ? 'paused' : 'running') : 'queued';
        this.bus.emit('job.state', { job: this.snapshot(entry) });
      },
    };
    entry.done = this.settle(entry, () => spec.run(ctx));
    return this.snapshot(entry) as JobInfoOf<K>;
  }

  /** Running jobs first (newest first), then the kept finished ones. */
  list(): JobInfo[] {
    const all = [...this.jobs.values()].map((e) => this.snapshot(e));
    const rank = (job: JobInfo) => (FINAL_JOB_STATUSES.includes(job.status) ? 1 : 0);
    return all.sort((a, b) => rank(a) - rank(b) || b.startedAt.localeCompare(a.startedAt));
  }

  /** One job; a 'not-found' error names the id when it is unknown (or long finished). */
  get(id: string): JobInfo {
    return this.snapshot(this.entry(id));
  }

  /** Resolves with the job's final info once it has ended. */
  settled(id: string): Promise<JobInfo> {
    return this.entry(id).done;
  }

  /** Asks job `id` to stop; false when it is not running (or unknown). */
  cancel(id: string): boolean {
    const entry = this.jobs.get(id);
    if (!entry || this.isFinal(entry)) return false;
    entry.controller.abort();
    return true;
  }

  /** Pauses job `id` at its next step; refused for jobs that cannot pause. */
  pause(id: string): JobInfo {
    const entry = this.entry(id);
    if (!entry.info.canPause) throw new GraftError('bad-request', `"${entry.info.title}" cannot be paused; cancel it instead.`);
    if (!this.isFinal(entry) && entry.gate.pause()) {
      if (entry.info.status === 'running') entry.info.status = 'paused';
      this.bus.emit('job.state', { job: this.snapshot(entry) });
    }
    return this.snapshot(entry);
  }

  /** Resumes a paused job. */
  resume(id: string): JobInfo {
    const entry = this.entry(id);
    if (!this.isFinal(entry) && entry.gate.resume()) {
      if (entry.info.status === 'paused') entry.info.status = 'running';
      this.bus.emit('job.state', { job: this.snapshot(entry) });
    }
    return this.snapshot(entry);
  }

  /** True while any job runs. */
  get busy(): boolean {
    return [...this.jobs.values()].some((e) => !this.isFinal(e));
  }

  /** Cancels every job and waits (up to `timeoutMs`) until each has stopped writing. */
  async stopAll(timeoutMs = 10_000): Promise<void> {
    const running = [...this.jobs.values()].filter((e) => !this.isFinal(e));
    for (const entry of running) entry.controller.abort();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all(running.map((e) => e.done)), timeout]);
    clearTimeout(timer);
  }

  private async settle(entry: Entry, work: () => Promise<unknown>): Promise<JobInfo> {
    const { info } = entry;
    try {
      const result = await work();
      info.result = result as never;
      info.status = entry.controller.signal.aborted ? 'cancelled' : 'succeeded';
    } catch (error) {
      const cancelled = entry.controller.signal.aborted || (error instanceof GraftError && error.code === 'cancelled');
      if (!(error instanceof GraftError) && !cancelled) this.options.logError?.(`job ${info.kind} (${info.title}) failed`, error);
      info.status = cancelled ? 'cancelled' : 'failed';
      info.error = cancelled ? { code: 'cancelled', message: 'Cancelled.' } : toApiError(error);
    }
    info.finishedAt = new Date().toISOString();
    info.queuePosition = null;
    // The last progress goes out before the job's end, so a bar never stops short of it.
    entry.progress.flush();
    entry.progress.dispose();
    entry.gate.resume();
    this.bus.emit(info.error ? 'job.failed' : 'job.finished', { job: this.snapshot(entry) });
    this.forgetOldJobs();
    return this.snapshot(entry);
  }

  private forgetOldJobs(): void {
    const finished = [...this.jobs.values()].filter((e) => this.isFinal(e));
    const excess = finished.length - (this.options.keepFinished ?? 50);
    for (const entry of finished.slice(0, Math.max(0, excess))) this.jobs.delete(entry.info.id);
  }

  private entry(id: string): Entry {
    const entry = this.jobs.get(id);
    if (!entry) throw new GraftError('not-found', `No job ${id} (it may have finished long ago or the app restarted).`);
    return entry;
  }

  private isFinal(entry: Entry): boolean {
    return FINAL_JOB_STATUSES.includes(entry.info.status);
  }

  private snapshot(entry: Entry): JobInfo {
    return { ...entry.info };
  }
}
