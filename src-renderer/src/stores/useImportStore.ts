import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { JobInfoOf, LibraryImportParams } from '../../../src-main/api/types/jobs';
import { useApi } from '../api/use-api';
import { isFinished, useJobsStore } from './useJobsStore';

/** What the import form asks for; the store adds thumbnails. */
export type ImportRequest = Omit<LibraryImportParams, 'thumbnails'>;

/**
 * The running import and the last one's outcome, read from the jobs store: an import keeps
 * showing its progress after the user visits another view, reloads the page, or opens a
 * second window.
 */
export const useImportStore = defineStore('import', () => {
  const jobs = useJobsStore();
  const startError = ref<string | null>(null);
  const cancelling = ref(false);

  const job = computed<JobInfoOf<'import'> | null>(() => jobs.latest('import'));
  const running = computed(() => job.value !== null && !isFinished(job.value));
  const paused = computed(() => job.value?.status === 'paused');
  const progress = computed(() => (running.value ? (job.value?.progress ?? null) : null));
  const result = computed(() => (job.value && isFinished(job.value) ? job.value.result : null));
  /** The last request, so the form shows it again (after a reload too). */
  const lastRequest = computed<ImportRequest | null>(() => job.value?.params ?? null);
  const error = computed(() => {
    if (startError.value) return startError.value;
    const failed = job.value?.status === 'failed' || (job.value?.status === 'cancelled' && !job.value.result) ? job.value.error : null;
    if (!failed) return null;
    return failed.code === 'cancelled' ? 'The import was cancelled before any photo was read.' : failed.message;
  });

  /** Imports a folder as a job, unless one is already running. */
  async function start(request: ImportRequest): Promise<void> {
    if (running.value) return;
    startError.value = null;
    cancelling.value = false;
    try {
      const { jobId } = await useApi().call('library.import', { ...request, thumbnails: true });
      await jobs.track(jobId);
    } catch (e) {
      startError.value = e instanceof Error ? e.message : String(e);
    }
  }

  /** Asks the running import to stop; what it imported so far is kept. */
  async function cancel(): Promise<void> {
    if (!job.value || !running.value) return;
    cancelling.value = true;
    try {
      await jobs.cancel(job.value.id);
    } catch (e) {
      cancelling.value = false;
      startError.value = `Could not cancel the import: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  /** Pauses or resumes the running import between files. */
  async function togglePause(): Promise<void> {
    if (!job.value || !running.value) return;
    await (paused.value ? jobs.resume(job.value.id) : jobs.pause(job.value.id));
  }

  return { job, progress, running, paused, cancelling: computed(() => cancelling.value && running.value), result, error, lastRequest, start, cancel, togglePause };
});
