import { defineStore } from 'pinia';
import { computed } from 'vue';
import type { ImageFolderExportParams } from '../../../src-main/api/types/jobs';
import { useApi } from '../api/use-api';
import { latestJob } from './latest-job';
import { useJobsStore } from './useJobsStore';

/** Where and how an ImageFolder export writes. */
export type FolderExportRequest = Required<ImageFolderExportParams>;

/**
 * The running ImageFolder export and the last one's result, read from the jobs store, so
 * leaving the Library view mid-export, reloading or opening a second window still shows
 * its progress and Cancel.
 */
export const useFolderExportStore = defineStore('folderExport', () => {
  const jobs = useJobsStore();
  const latest = latestJob('image-folder-export');

  /** Starts the export as a job; fails at once (with the reason) when it cannot start. */
  async function start(request: FolderExportRequest): Promise<void> {
    const { jobId } = await useApi().call('labels.exportImageFolder', request);
    await jobs.track(jobId);
  }

  /** Why the last export failed or could not be cancelled (a cancelled export's result says what stays). */
  const error = computed(() => {
    if (latest.cancelError.value) return `Could not cancel the export: ${latest.cancelError.value}`;
    return latest.job.value?.status === 'failed' ? (latest.job.value.error?.message ?? null) : null;
  });

  const { job, progress, running, cancelling, result, cancel } = latest;
  return { job, progress, running, cancelling, result, error, start, cancel };
});
