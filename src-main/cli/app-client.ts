import type { ApiEvents, EventName, ParamsArgs, RequestName, ResultOf } from '../api/contract';
import { GraftError } from '../api/errors';
import type { JobInfoOf, JobKind, JobKinds, JobProgressEvent } from '../api/types/jobs';
import { createAppServices, type AppServices } from '../core/app-services';
import type { EngineSpawner } from '../engine/host/engine-process';
import type { CliIo } from './command';

/** The main-side services as a CLI verb uses them: typed calls, events, jobs followed to their end. */
export interface AppClient {
  readonly services: AppServices;
  /** Calls a request of the contract through the dispatcher (checked by its parser); a failure throws its GraftError. */
  call<N extends RequestName>(name: N, ...params: ParamsArgs<N>): Promise<ResultOf<N>>;
  /** Listens to an event; returns the unsubscribe function. */
  on<E extends EventName>(name: E, listener: (payload: ApiEvents[E]) => void): () => void;
  /**
   * Follows job `jobId` of kind `kind` to its end: reports each progress value, cancels the job
   * when `signal` aborts, and resolves with its final info (whatever its status).
   */
  follow<K extends JobKind>(jobId: string, kind: K, options: { signal: AbortSignal; onProgress?: (progress: JobKinds[K]['progress']) => void }): Promise<JobInfoOf<K>>;
  /** Stops jobs and the engine and closes the project. */
  dispose(): Promise<void>;
}

/** How to start the services: which engine, which project (none: a verb that creates one). */
export interface AppClientOptions {
  spawner: EngineSpawner;
  projectDir?: string;
  io: CliIo;
  /** Start the engine only when a request needs it (verbs that mostly read the project). */
  lazyEngine?: boolean;
}

/**
 * Starts the main side the way `graft serve` does (same composition root, same dispatcher and
 * parsers), for a verb that drives it from the command line.
 */
export function openAppClient(options: AppClientOptions): AppClient {
  let stopping = false;
  const services = createAppServices({
    mode: 'serve',
    spawnEngine: options.spawner,
    projectDir: options.projectDir,
    lazyEngine: options.lazyEngine,
    logError: (message, error) => {
      // A verb that ends before the engine it started in the background is up stops it mid-start: not a failure.
      if (stopping && error instanceof GraftError && error.code === 'engine-unavailable') return;
      options.io.err(`graft: ${message}: ${error instanceof GraftError ? error.message : error instanceof Error ? error.stack : String(error)}`);
    },
  });
  const { bus, jobs } = services.ctx;
  return {
    services,
    async call(name, ...params) {
      const reply = await services.dispatcher.dispatch(name, params[0]);
      if (!reply.ok) throw new GraftError(reply.error.code, reply.error.message);
      return reply.value as ResultOf<typeof name>;
    },
    on(name, listener) {
      return bus.subscribe((message) => {
        if (message.name === name) listener(message.payload as ApiEvents[typeof name]);
      });
    },
    async follow(jobId, kind, { signal, onProgress }) {
      const unsubscribe = bus.subscribe((message) => {
        if (message.name !== 'job.progress') return;
        const payload = message.payload as JobProgressEvent;
        if (payload.jobId === jobId && payload.kind === kind) onProgress?.(payload.progress as JobKinds[typeof kind]['progress']);
      });
      const cancel = () => jobs.cancel(jobId);
      signal.addEventListener('abort', cancel, { once: true });
      try {
        // Progress reported before we listened (the first value goes out at once) is in the job's info.
        const current = jobs.get(jobId);
        if (current.kind !== kind) throw new Error(`Job ${jobId} is a ${current.kind} job, not ${kind}.`);
        if (current.progress) onProgress?.(current.progress as JobKinds[typeof kind]['progress']);
        if (signal.aborted) cancel();
        return (await jobs.settled(jobId)) as JobInfoOf<typeof kind>;
      } finally {
        signal.removeEventListener('abort', cancel);
        unsubscribe();
      }
    },
    dispose: () => {
      stopping = true;
      return services.dispose();
    },
  };
}

/** The result of a job that succeeded; a failed job throws its error, a cancelled one returns null. */
export function jobResult<K extends JobKind>(job: JobInfoOf<K>): JobKinds[K]['result'] | null {
  if (job.status === 'cancelled') return null;
  if (job.status !== 'succeeded' || job.result === null) {
    throw new GraftError(job.error?.code ?? 'internal', job.error?.message ?? `The ${job.kind} job ended as ${job.status}.`);
  }
  return job.result;
}
