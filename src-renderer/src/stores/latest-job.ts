import { computed, ref, type ComputedRef, type Ref } from 'vue';
import type { JobInfoOf, JobKind, JobKinds } from '../../../src-main/api/types/jobs';
import { isFinished, useJobsStore } from './useJobsStore';

/** The newest job of one kind as a view follows it: state, progress, result, and its controls. */
export interface LatestJob<K extends JobKind> {
  job: ComputedRef<JobInfoOf<K> | null>;
  running: ComputedRef<boolean>;
  paused: ComputedRef<boolean>;
  progress: ComputedRef<JobKinds[K]['progress'] | null>;
  result: ComputedRef<JobKinds[K]['result'] | null>;
  /** True between asking to cancel and the job ending. */
  cancelling: ComputedRef<boolean>;
  /** Why the last cancel request failed, if it did. */
  cancelError: Ref<string | null>;
  cancel(): Promise<void>;
  togglePause(): Promise<void>;
}

/** Follows the newest job of `kind` in the jobs store (a started one, or one found on reload). */
export function latestJob<K extends JobKind>(kind: K): LatestJob<K> {
  const jobs = useJobsStore();
  const asked = ref(false);
  const cancelError = ref<string | null>(null);
  const job = computed<JobInfoOf<K> | null>(() => jobs.latest(kind));
  const running = computed(() => job.value !== null && !isFinished(job.value));

  async function cancel(): Promise<void> {
    if (!job.value || !running.value) return;
    asked.value = true;
    cancelError.value = null;
    try {
      await jobs.cancel(job.value.id);
    } catch (e) {
      asked.value = false;
      cancelError.value = e instanceof Error ? e.message : String(e);
    }
  }

  async function togglePause(): Promise<void> {
    if (!job.value || !running.value) return;
    await (job.value.status === 'paused' ? jobs.resume(job.value.id) : jobs.pause(job.value.id));
  }

  return {
    job,
    running,
    paused: computed(() => job.value?.status === 'paused'),
    progress: computed(() => (running.value ? (job.value?.progress ?? null) : null)),
    result: computed(() => (job.value && isFinished(job.value) ? job.value.result : null)),
    cancelling: computed(() => asked.value && running.value),
    cancelError,
    cancel,
    togglePause,
  };
}
