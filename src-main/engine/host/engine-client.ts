import type { Disposable } from '../../base/lifecycle';
import { assertNever, GraftError, type ErrorCode } from '../../api/errors';
import type { EngineStatus } from '../../api/types/app';
import type { EngineProcess, EngineSpawner } from './engine-process';
import type { EngineEvent, EngineHello, EngineParams, EngineRequestName, EngineResult, FromEngine } from '../protocol';
import { ENGINE_REQUEST_KINDS } from '../request-kinds';

/** A pause switch the caller owns (a job's gate); the client forwards its changes to the engine. */
export interface PauseSource {
  readonly paused: boolean;
  onChange(listener: (paused: boolean) => void): () => void;
}

/** Options for one engine request. */
export interface EngineRequestOptions<N extends EngineRequestName> {
  signal?: AbortSignal;
  /** Every event of the request, in order. */
  onEvent?: (event: EngineEvent<N>) => void;
  /** Place in the engine's queue of heavy requests (1 = next); null once it runs. */
  onQueued?: (position: number | null) => void;
  /** Pauses and resumes the request in the engine. */
  pause?: PauseSource;
  /**
   * On cancel, settle only once the engine has stopped the work (its reply, or the process
   * restarted after the kind's grace) rather than at once: for work whose files the caller
   * reads afterwards (a run's checkpoints).
   */
  waitForStop?: boolean;
}

/** Tuning for the client; defaults suit the app, tests shorten them. */
export interface EngineClientOptions {
  onStatus?: (status: EngineStatus) => void;
  /** How long to wait for 'ready' before calling the start failed. */
  readyTimeoutMs?: number;
  /** Overrides every kind's cancel grace (how long a cancelled request may take to stop). */
  cancelGraceMs?: number;
  /** Overrides every kind's silence limit (how long a running request may say nothing). */
  silenceMs?: number;
  /** How often the watchdog looks for silent requests. */
  watchdogIntervalMs?: number;
  /** Crashes tolerated within a minute before giving up on respawning. */
  maxRestartsPerMinute?: number;
}

interface Pending {
  name: EngineRequestName;
  resolve(value: unknown): void;
  reject(error: Error): void;
  onEvent?: (event: never) => void;
  onQueued?: (position: number | null) => void;
  /** When the engine last said anything about this request. */
  lastHeard: number;
  /** Waiting in the queue or paused: silence is expected then. */
  waiting: boolean;
  paused: boolean;
  detach(): void;
}

/**
 * Owns the engine process: starts it, matches replies to requests, forwards each request's
 * events, pause and resume, cancels (restarting the process when a cancel is not honoured
 * within that kind's grace), restarts a process that fell silent, and respawns it after a
 * crash.
 */
export class EngineClient implements Disposable {
  private process: EngineProcess | null = null;
  private ready: Promise<{ hello: EngineHello; proc: EngineProcess }> | null = null;
  /** A process that reported it cannot start: its exit is expected, not a crash to respawn. */
  private failedStart: EngineProcess | null = null;
  private readonly pending = new Map<number, Pending>();
  /** Cancelled requests whose engine-side work has not yet acknowledged the cancel. */
  private readonly cancelling = new Set<number>();
  private watchdog: ReturnType<typeof setInterval> | null = null;
  /** Resolves when each live process has exited. */
  private readonly exits = new Map<EngineProcess, Promise<void>>();
  private nextId = 1;
  private disposed = false;
  private crashTimes: number[] = [];
  private state: EngineStatus = {
    state: 'stopped',
    backend: null,
    backendPackage: null,
    tfjsVersion: null,
    onnx: null,
    lastError: null,
    restarts: 0,
  };

  constructor(
    private readonly spawn: EngineSpawner,
    private readonly options: EngineClientOptions = {},
  ) {}

  /** Current status as plain data. */
  status(): EngineStatus {
    return { ...this.state };
  }

  /** Starts the engine if it is not running; resolves with its hello once the backend is up. */
  async start(): Promise<EngineHello> {
    return (await this.started()).hello;
  }

  private started(): Promise<{ hello: EngineHello; proc: EngineProcess }> {
    if (this.disposed) return Promise.reject(new GraftError('engine-unavailable', 'The engine has been shut down.'));
    if (!this.ready) this.ready = this.launch();
    return this.ready;
  }

  /** Sends a request, starting the engine first if needed; resolves with its typed result. */
  async request<N extends EngineRequestName>(name: N, params: EngineParams<N>, options: EngineRequestOptions<N> = {}): Promise<EngineResult<N>> {
    // Send to the process that said ready, and only while it is still the current one.
    const { proc } = await this.started();
    if (this.process !== proc) throw new GraftError('engine-unavailable', 'The engine restarted; run the job again.');
    if (options.signal?.aborted) throw new GraftError('cancelled', 'Cancelled.');
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = () => this.cancel(id, proc, options.waitForStop === true);
      const stopPause = options.pause?.onChange((paused) => proc.send({ kind: 'control', id, action: paused ? 'pause' : 'resume' }));
      const detach = () => {
        options.signal?.removeEventListener('abort', onAbort);
        stopPause?.();
      };
      this.pending.set(id, {
        name,
        resolve: (value) => {
          detach();
          resolve(value as EngineResult<N>);
        },
        reject: (error) => {
          detach();
          reject(error);
        },
        onEvent: options.onEvent as ((event: never) => void) | undefined,
        onQueued: options.onQueued,
        lastHeard: Date.now(),
        waiting: ENGINE_REQUEST_KINDS[name].heavy,
        paused: false,
        detach,
      });
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.setState({ state: 'busy' });
      proc.send({ kind: 'request', id, name, params });
      if (options.pause?.paused) proc.send({ kind: 'control', id, action: 'pause' });
      this.armWatchdog();
    });
  }

  /** Kills the engine and starts a fresh one. */
  async restart(): Promise<EngineHello> {
    this.crashTimes = [];
    this.stopProcess('cancelled', 'The engine was restarted.');
    return this.start();
  }

  /**
   * Stops the engine for good: asks it to shut down (it cancels its work, waits for its
   * handlers and frees its models) and kills it if it has not exited within `graceMs`.
   */
  async dispose(graceMs = 3_000): Promise<void> {
    this.disposed = true;
    const proc = this.process;
    const exited = proc ? this.exits.get(proc) : undefined;
    this.stopProcess('cancelled', 'Graft is shutting down.', { graceful: true });
    this.setState({ state: 'stopped' });
    if (!proc || !exited) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
    if ((await Promise.race([exited, late])) === 'late') proc.kill();
    clearTimeout(timer);
  }

  private launch(): Promise<{ hello: EngineHello; proc: EngineProcess }> {
    this.setState({ state: 'starting', lastError: this.state.lastError });
    const proc = this.spawn();
    this.process = proc;
    let markExited!: () => void;
    this.exits.set(proc, new Promise<void>((resolve) => (markExited = resolve)));
    return new Promise((resolve, reject) => {
      const failStart = (message: string) => {
        this.failedStart = proc;
        this.stopProcess('engine-unavailable', message);
        this.setState({ state: 'crashed', lastError: message });
        reject(new GraftError('engine-unavailable', message));
      };
      const timeout = setTimeout(() => failStart('The engine did not start in time.'), this.options.readyTimeoutMs ?? 60_000);
      proc.onMessage((message) => {
        // A replaced process may still talk while it dies; only the current one counts.
        if (this.process !== proc) return;
        if (message.kind === 'ready') {
          clearTimeout(timeout);
          const { hello } = message;
          this.setState({ state: 'ready', backend: hello.backend, backendPackage: hello.backendPackage, tfjsVersion: hello.tfjsVersion, onnx: hello.onnx });
          resolve({ hello, proc });
        } else if (message.kind === 'fatal') {
          clearTimeout(timeout);
          failStart(`The engine could not start: ${message.error}`);
        } else {
          this.onMessage(message);
        }
      });
      proc.onExit((reason) => {
        markExited();
        this.exits.delete(proc);
        clearTimeout(timeout);
        reject(new GraftError('engine-unavailable', `The engine stopped while starting (${reason}).`));
        this.onExit(proc, reason);
      });
    });
  }

  private onMessage(message: Exclude<FromEngine, { kind: 'ready' | 'fatal' }>): void {
    const pending = this.pending.get(message.id);
    if (pending) pending.lastHeard = Date.now();
    switch (message.kind) {
      case 'event':
        pending?.onEvent?.(message.event as never);
        return;
      case 'queued':
        if (pending) pending.waiting = message.position !== null;
        pending?.onQueued?.(message.position);
        return;
      case 'paused':
        if (pending) pending.paused = message.paused;
        return;
      case 'reply': {
        this.cancelling.delete(message.id);
        this.pending.delete(message.id);
        this.updateBusy();
        if (!pending) return;
        if (message.ok) pending.resolve(message.result);
        else pending.reject(new GraftError(message.error.code, message.error.message));
        return;
      }
      default:
        assertNever(message, 'engine message');
    }
  }

  private cancel(id: number, proc: EngineProcess, waitForStop: boolean): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    if (!waitForStop) {
      this.pending.delete(id);
      pending.reject(new GraftError('cancelled', 'Cancelled.'));
    }
    this.cancelling.add(id);
    proc.send({ kind: 'control', id, action: 'cancel' });
    // Tensor work can run for seconds without yielding; if the engine has not acknowledged
    // the cancel in time the process is replaced, so cancel always frees the machine.
    const grace = this.options.cancelGraceMs ?? ENGINE_REQUEST_KINDS[pending.name].cancelGraceMs;
    const timer = setTimeout(() => {
      if (this.process === proc && this.cancelling.has(id)) {
        this.stopProcess('cancelled', 'A cancelled job did not stop in time; the engine was restarted.');
        void this.start().catch(() => undefined);
      }
    }, grace);
    timer.unref();
  }

  /** Looks for running requests the engine has been silent about for longer than their kind allows. */
  private armWatchdog(): void {
    if (this.watchdog) return;
    this.watchdog = setInterval(() => {
      if (this.pending.size === 0) return this.disarmWatchdog();
      const now = Date.now();
      for (const pending of this.pending.values()) {
        if (pending.waiting || pending.paused) continue;
        const limit = this.options.silenceMs ?? ENGINE_REQUEST_KINDS[pending.name].silenceMs;
        if (now - pending.lastHeard <= limit) continue;
        const seconds = Math.round(limit / 1000);
        this.stopProcess('engine-crashed', `The engine stopped responding (nothing for ${seconds} s during ${pending.name}); it was restarted. Run the job again.`);
        this.setState({ state: 'crashed', lastError: `Engine hung during ${pending.name}`, restarts: this.state.restarts + 1 });
        void this.start().catch(() => undefined);
        return;
      }
    }, this.options.watchdogIntervalMs ?? 1_000);
    this.watchdog.unref();
  }

  private disarmWatchdog(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
  }

  private updateBusy(): void {
    const busy = this.pending.size + this.cancelling.size > 0;
    if (busy && this.state.state === 'ready') this.setState({ state: 'busy' });
    if (!busy && this.state.state === 'busy') this.setState({ state: 'ready' });
  }

  private onExit(proc: EngineProcess, reason: string): void {
    if (this.process !== proc || this.failedStart === proc) return;
    this.process = null;
    this.ready = null;
    this.cancelling.clear();
    this.rejectAll(new GraftError('engine-crashed', `The engine stopped unexpectedly (${reason}). It is being restarted; run the job again.`));
    if (this.disposed) return;
    const now = Date.now();
    this.crashTimes = [...this.crashTimes.filter((t) => now - t < 60_000), now];
    this.setState({ state: 'crashed', lastError: `Engine stopped unexpectedly (${reason})`, restarts: this.state.restarts + 1 });
    if (this.crashTimes.length > (this.options.maxRestartsPerMinute ?? 3)) return;
    void this.start().catch(() => undefined);
  }

  private stopProcess(code: ErrorCode, reason: string, how: { graceful?: boolean } = {}): void {
    const proc = this.process;
    this.process = null;
    this.ready = null;
    this.rejectAll(new GraftError(code, reason));
    this.cancelling.clear();
    this.disarmWatchdog();
    if (proc) {
      proc.send({ kind: 'shutdown' });
      if (!how.graceful) proc.kill();
    }
  }

  private rejectAll(error: GraftError): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const pending of all) pending.reject(error);
  }

  private setState(patch: Partial<EngineStatus>): void {
    this.state = { ...this.state, ...patch };
    this.options.onStatus?.(this.status());
  }
}
