import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { LibraryImportParams } from '../../../src-main/api/types/jobs';
import { useApi } from '../api/use-api';
import { latestJob } from './latest-job';
import { useAppStore } from './useAppStore';
import { useJobsStore } from './useJobsStore';

/** What the import form asks for; the store adds thumbnails, and under serve keeps the walk inside the folder. */
export type ImportRequest = Omit<LibraryImportParams, 'thumbnails'>;

/**
 * The running import and the last one's outcome, read from the jobs store: an import keeps
 * showing its progress after the user visits another view, reloads the page, or opens a
 * second window.
 */
export const useImportStore = defineStore('import', () => {
  const jobs = useJobsStore();
  const latest = latestJob('import');
  const startError = ref<string | null>(null);

  /** The last request, so the form shows it again (after a reload too). */
  const lastRequest = computed<ImportRequest | null>(() => latest.job.value?.params ?? null);
  const error = computed(() => {
    if (startError.value) return startError.value;
    if (latest.cancelError.value) return `Could not cancel the import: ${latest.cancelError.value}`;
    const job = latest.job.value;
    const failed = job?.status === 'failed' || (job?.status === 'cancelled' && !job.result) ? job.error : null;
    if (!failed) return null;
    return failed.code === 'cancelled' ? 'The import was cancelled before any photo was read.' : failed.message;
  });

  /** Imports a folder as a job, unless one is already running. */
  async function start(request: ImportRequest): Promise<void> {
    if (latest.running.value) return;
    startError.value = null;
    try {
      // In a browser the server's folders are not the user's to roam: links out of the chosen folder stay unfollowed.
      const inBrowser = useAppStore().info?.mode === 'serve';
      const { jobId } = await useApi().call('library.import', { ...request, thumbnails: true, ...(inBrowser ? { followLinksOutside: false } : {}) });
      await jobs.track(jobId);
    } catch (e) {
      startError.value = e instanceof Error ? e.message : String(e);
    }
  }

  const { job, progress, running, paused, cancelling, result, cancel, togglePause } = latest;
  return { job, progress, running, paused, cancelling, result, error, lastRequest, start, cancel, togglePause };
});
