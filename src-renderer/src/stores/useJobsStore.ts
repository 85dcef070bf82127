import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { JobInfo, JobInfoOf, JobKind } from '../../../src-main/api/types/jobs';
import { useApi } from '../api/use-api';

const FINAL: readonly JobInfo['status'][] = ['succeeded', 'failed', 'cancelled'];

/** True once a job has ended (succeeded, failed or cancelled). */
export function isFinished(job: Pick<JobInfo, 'status'>): boolean {
  return FINAL.includes(job.status);
}

/**
 * Every job the main side knows, kept live by the job events. Loads `jobs.list` when it
 * starts following, so a reloaded page or a second window reattaches to running jobs and
 * shows their progress; each running job's progress is subscribed by its id.
 */
export const useJobsStore = defineStore('jobs', () => {
  const byId = ref<Record<string, JobInfo>>({});
  const progressStops = new Map<string, () => void>();
  let following: Promise<void> | null = null;

  function put(job: JobInfo): void {
    const known = byId.value[job.id];
    // Progress may have run ahead of a state snapshot that was sent earlier.
    const progress = known && !isFinished(job) && known.progress && !job.progress ? known.progress : job.progress;
    byId.value = { ...byId.value, [job.id]: { ...job, progress } as JobInfo };
    if (isFinished(job)) {
      progressStops.get(job.id)?.();
      progressStops.delete(job.id);
    } else if (!progressStops.has(job.id)) {
      progressStops.set(
        job.id,
        useApi().on(
          'job.progress',
          (event) => {
            const current = byId.value[event.jobId];
            if (current && !isFinished(current)) byId.value = { ...byId.value, [event.jobId]: { ...current, progress: event.progress } as JobInfo };
          },
          job.id,
        ),
      );
    }
  }

  /** Subscribes to job events once and loads the jobs that exist now. */
  function follow(): Promise<void> {
    following ??= (async () => {
      const api = useApi();
      const update = ({ job }: { job: JobInfo }) => put(job);
      api.on('job.started', update);
      api.on('job.state', update);
      api.on('job.finished', update);
      api.on('job.failed', update);
      for (const job of await api.call('jobs.list')) put(job);
    })().catch((error: unknown) => {
      following = null;
      throw error;
    });
    return following;
  }

  /** Records a job a view just started (its events may have arrived first). */
  async function track(jobId: string): Promise<JobInfo> {
    await follow();
    const known = byId.value[jobId];
    if (known) return known;
    const job = await useApi().call('jobs.get', { jobId });
    put(job);
    return byId.value[jobId]!;
  }

  /** The newest job of a kind (running or finished), or null. */
  function latest<K extends JobKind>(kind: K): JobInfoOf<K> | null {
    const ofKind = Object.values(byId.value).filter((job) => job.kind === kind) as unknown as JobInfoOf<K>[];
    return ofKind.sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0] ?? null;
  }

  const running = computed(() => Object.values(byId.value).filter((job) => !isFinished(job)));

  /** Asks a job to stop; false when it had already ended. */
  async function cancel(jobId: string): Promise<boolean> {
    return (await useApi().call('jobs.cancel', { jobId })).cancelled;
  }

  /** Pauses a job that can pause. */
  async function pause(jobId: string): Promise<void> {
    put(await useApi().call('jobs.pause', { jobId }));
  }

  /** Resumes a paused job. */
  async function resume(jobId: string): Promise<void> {
    put(await useApi().call('jobs.resume', { jobId }));
  }

  return { byId, running, follow, track, latest, cancel, pause, resume };
});
