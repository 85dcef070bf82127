import { getCurrentScope, onScopeDispose, ref, type Ref } from 'vue';
import type { JobProgress } from '../../../src-main/api/contract';
import type { ApiClient } from '../api/api-client';
import { useApi } from '../api/use-api';

/** A random v4 UUID; falls back to getRandomValues where randomUUID is missing (pages over plain http). */
export function newJobId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Dependencies of useJob, injectable for tests; by default the installed client and random UUIDs. */
export interface UseJobOptions {
  api?: ApiClient;
  newId?: () => string;
}

/** A long job the UI follows: its id, its latest progress, and start/cancel. */
export interface Job {
  /** Id of the running (or last) job. */
  jobId: Ref<string | null>;
  /** Latest 'job.progress' of this job; null until the first one arrives. */
  progress: Ref<JobProgress | null>;
  running: Ref<boolean>;
  /** True between asking to cancel and the job settling. */
  cancelling: Ref<boolean>;
  /** Runs `work` under a fresh job id, following its progress until it settles; one job at a time. */
  start<T>(work: (jobId: string) => Promise<T>): Promise<T>;
  /** Asks the running job to stop; false when none runs or the main side no longer knows it. */
  cancel(): Promise<boolean>;
}

/** Starts jobs under fresh ids and follows their 'job.progress' events. */
export function useJob(options: UseJobOptions = {}): Job {
  const client = () => options.api ?? useApi();
  const jobId = ref<string | null>(null);
  const progress = ref<JobProgress | null>(null);
  const running = ref(false);
  const cancelling = ref(false);
  let stopListening: (() => void) | null = null;

  async function start<T>(work: (jobId: string) => Promise<T>): Promise<T> {
    if (running.value) throw new Error('A job is already running here; wait for it or cancel it first.');
    const id = (options.newId ?? newJobId)();
    jobId.value = id;
    progress.value = null;
    running.value = true;
    cancelling.value = false;
    // Listen before starting: the first events can arrive before the call's reply.
    stopListening = client().on('job.progress', (next) => {
      if (next.jobId === id) progress.value = next;
    });
    try {
      return await work(id);
    } finally {
      stopListening();
      stopListening = null;
      running.value = false;
      cancelling.value = false;
    }
  }

  async function cancel(): Promise<boolean> {
    if (!running.value || !jobId.value) return false;
    cancelling.value = true;
    try {
      return (await client().call('job.cancel', { jobId: jobId.value })).cancelled;
    } catch (error) {
      cancelling.value = false;
      throw error;
    }
  }

  if (getCurrentScope()) onScopeDispose(() => stopListening?.());
  return { jobId, progress, running, cancelling, start, cancel };
}
