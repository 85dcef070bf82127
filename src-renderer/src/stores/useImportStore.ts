import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { LibraryImportParams } from '../../../src-main/api/contract';
import type { ImportSummary } from '../../../src-main/api/types/import';
import { ApiCallError } from '../api/api-client';
import { useApi } from '../api/use-api';
import { useJob } from '../composables/useJob';

/** What the import form asks for; the store adds the job id and thumbnails. */
export type ImportRequest = Omit<LibraryImportParams, 'jobId' | 'thumbnails'>;

/**
 * The running import and the last one's outcome. A store rather than view state so an
 * import keeps showing its progress after the user visits another view and comes back.
 */
export const useImportStore = defineStore('import', () => {
  const job = useJob();
  const result = ref<ImportSummary | null>(null);
  const error = ref<string | null>(null);
  /** The last request, so the form shows it again. */
  const lastRequest = ref<ImportRequest | null>(null);

  /** Imports a folder as a job, unless one is already running. */
  async function start(request: ImportRequest): Promise<void> {
    if (job.running.value) return;
    error.value = null;
    result.value = null;
    lastRequest.value = request;
    try {
      result.value = await job.start((jobId) => useApi().call('library.import', { ...request, thumbnails: true, jobId }));
    } catch (e) {
      error.value =
        e instanceof ApiCallError && e.code === 'cancelled'
          ? 'The import was cancelled before any photo was read.'
          : e instanceof Error
            ? e.message
            : String(e);
    }
  }

  /** Asks the running import to stop; what it imported so far is kept. */
  async function cancel(): Promise<void> {
    try {
      await job.cancel();
    } catch (e) {
      error.value = `Could not cancel the import: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  return { progress: job.progress, running: job.running, cancelling: job.cancelling, result, error, lastRequest, start, cancel };
});
