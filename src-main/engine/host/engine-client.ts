import type { EngineStatus } from '../../api/contract';
import { GraftError } from '../../api/errors';
import type { Disposable } from '../../base/lifecycle';
import type { EngineProcess, EngineSpawner } from './engine-process';
import type { EngineHello, EngineProgress, EngineRequestName, EngineRequests, FromEngine } from '../protocol';

/** Options for one engine request. */
export interface EngineRequestOptions {
  signal?: AbortSignal;
  onProgress?: (progress: EngineProgress) => void;
}

/** Tuning for the client; defaults suit the app. */
export interface EngineClientOptions {
  onStatus?: (status: EngineStatus) => void;
  /** How long to wait for 'ready' before calling the start failed. */
  readyTimeoutMs?: number;
  /** How long a cancelled request may take to stop before the process is killed and respawned. */
  cancelGraceMs?: number;
  /** Crashes tolerated within a minute before giving up on respawning. */
  maxRestartsPerMinute?: number;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onProgress?: (progress: EngineProgress) => void;
}

/**
 * Owns the engine process: starts it, matches replies to requests, forwards progress,
 * cancels (killing the process if it will not stop), and respawns it after a crash.
 */
export class EngineClient implements Disposable {
  private process: EngineProcess | null = null;
  private ready: Promise<{ hello: EngineHello; proc: EngineProcess }> | null = null;
  /** A process that reported it cannot start: its exit is expected, not a crash to respawn. */
  private failedStart: EngineProcess | null = null;
  private readonly pending = new Map<number, Pending>();
  /** Cancelled requests whose engine-side work has not yet acknowledged the cancel. */
  private readonly cancelling = new Set<number>();
  private nextId = 1;
  private disposed = false;
  private crashTimes: number[] = [];
  private state: EngineStatus = {
    state: 'stopped',
    backend: null,
    backendPackage: null,
    tfjsVersion: null,
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

  /** Sends a request, starting the engine first if needed. */
  async request<N extends EngineRequestName>(
    name: N,
    params: EngineRequests[N]['params'],
    options: EngineRequestOptions = {},
  ): Promise<EngineRequests[N]['result']> {
    // Send to the process that said ready, and only while it is still the current one.
    const { proc } = await this.started();
    if (this.process !== proc) throw new GraftError('engine-unavailable', 'The engine restarted; run the job again.');
    if (options.signal?.aborted) throw new GraftError('cancelled', 'Cancelled.');
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = () => this.cancel(id, proc);
      const settle = () => options.signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (value) => {
          settle();
          resolve(value as EngineRequests[N]['result']);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
        onProgress: options.onProgress,
      });
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.setState({ state: 'busy' });
      proc.send({ kind: 'request', id, name, params });
    });
  }

  /** Kills the engine and starts a fresh one. */
  async restart(): Promise<EngineHello> {
    this.crashTimes = [];
    this.stopProcess('The engine was restarted.');
    return this.start();
  }

  /** Stops the engine for good. */
  dispose(): void {
    this.disposed = true;
    this.stopProcess('Graft is shutting down.');
    this.setState({ state: 'stopped' });
  }

  private launch(): Promise<{ hello: EngineHello; proc: EngineProcess }> {
    this.setState({ state: 'starting', lastError: this.state.lastError });
    const proc = this.spawn();
    this.process = proc;
    return new Promise((resolve, reject) => {
      const failStart = (message: string) => {
        this.failedStart = proc;
        this.stopProcess(message);
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
          this.setState({ state: 'ready', backend: hello.backend, backendPackage: hello.backendPackage, tfjsVersion: hello.tfjsVersion });
          resolve({ hello, proc });
        } else if (message.kind === 'fatal') {
          clearTimeout(timeout);
          failStart(`The engine could not start: ${message.error}`);
        } else {
          this.onMessage(message);
        }
      });
      proc.onExit((reason) => {
        clearTimeout(timeout);
        reject(new GraftError('engine-unavailable', `The engine stopped while starting (${reason}).`));
        this.onExit(proc, reason);
      });
    });
  }

  private onMessage(message: FromEngine): void {
    if (message.kind === 'progress') {
      this.pending.get(message.id)?.onProgress?.(message.progress);
      return;
    }
    if (message.kind !== 'reply') return;
    this.cancelling.delete(message.id);
    const pending = this.pending.get(message.id);
    this.pending.delete(message.id);
    this.updateBusy();
    if (!pending) return;
    if (message.ok) pending.resolve(message.result);
    else pending.reject(new GraftError(message.error.code, message.error.message));
  }

  private cancel(id: number, proc: EngineProcess): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    this.cancelling.add(id);
    pending.reject(new GraftError('cancelled', 'Cancelled.'));
    proc.send({ kind: 'cancel', id });
    // Tensor work can run for seconds without yielding; if the engine has not acknowledged
    // the cancel in time the process is replaced, so cancel always frees the machine.
    const timer = setTimeout(() => {
      if (this.process === proc && this.cancelling.has(id)) {
        this.stopProcess('A cancelled job did not stop in time; the engine was restarted.');
        void this.start().catch(() => undefined);
      }
    }, this.options.cancelGraceMs ?? 5_000);
    timer.unref();
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

  private stopProcess(reason: string): void {
    const proc = this.process;
    this.process = null;
    this.ready = null;
    this.rejectAll(new GraftError('cancelled', reason));
    this.cancelling.clear();
    if (proc) {
      proc.send({ kind: 'shutdown' });
      proc.kill();
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
