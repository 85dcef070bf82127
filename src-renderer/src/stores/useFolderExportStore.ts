import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ImageFolderExportParams, JobInfoOf } from '../../../src-main/api/types/jobs';
import { ApiCallError } from '../api/api-client';
import { useApi } from '../api/use-api';
import { isFinished, useJobsStore } from './useJobsStore';

/** Where and how an ImageFolder export writes. */
export type FolderExportRequest = Required<ImageFolderExportParams>;

/**
 * The running ImageFolder export and the last one's result, read from the jobs store, so
 * leaving the Library view mid-export, reloading or opening a second window still shows
 * its progress and Cancel.
 */
export const useFolderExportStore = defineStore('folderExport', () => {
  const jobs = useJobsStore();
  const cancelling = ref(false);
  const job = computed<JobInfoOf<'image-folder-export'> | null>(() => jobs.latest('image-folder-export'));
  const running = computed(() => job.value !== null && !isFinished(job.value));
  const progress = computed(() => (running.value ? (job.value?.progress ?? null) : null));
  const result = computed(() => (job.value && isFinished(job.value) ? job.value.result : null));

  /** Starts the export as a job; fails at once (with the reason) when it cannot start, or when the job fails. */
  async function start(request: FolderExportRequest): Promise<void> {
    cancelling.value = false;
    const { jobId } = await useApi().call('labels.exportImageFolder', request);
    await jobs.track(jobId);
  }

  /** The error of the last export when it failed (not when it was cancelled: its result says so). */
  const error = computed(() => (job.value?.status === 'failed' ? new ApiCallError(job.value.error!).message : null));

  /** Asks the running export to stop; the files written so far stay. */
  async function cancel(): Promise<void> {
    if (!job.value || !running.value) return;
    cancelling.value = true;
    try {
      await jobs.cancel(job.value.id);
    } catch (e) {
      cancelling.value = false;
      throw e;
    }
  }

  return { job, progress, running, cancelling: computed(() => cancelling.value && running.value), result, error, start, cancel };
});
