import { defineStore } from 'pinia';
import { computed } from 'vue';
import type { ExportParams } from '../../../src-main/api/types/export';
import { useApi } from '../api/use-api';
import { latestJob } from './latest-job';
import { useJobsStore } from './useJobsStore';

/**
 * The running model export and the last one's outcome, read from the jobs store, so leaving
 * the Export page mid-export, reloading or opening a second window still shows its progress,
 * its Cancel and then its files, parity check and download.
 */
export const useModelExportStore = defineStore('modelExport', () => {
  const jobs = useJobsStore();
  const latest = latestJob('export');

  /** Starts an export as a job; fails at once (with the reason) when it cannot start. */
  async function start(params: ExportParams): Promise<void> {
    const { jobId } = await useApi().call('runs.export', params);
    await jobs.track(jobId);
  }

  /** Why the last export failed (a failed parity check among them) or could not be cancelled. */
  const error = computed(() => {
    if (latest.cancelError.value) return `Could not cancel the export: ${latest.cancelError.value}`;
    return latest.job.value?.status === 'failed' ? (latest.job.value.error?.message ?? 'The export failed.') : null;
  });

  const { job, progress, running, cancelling, result, cancel } = latest;
  return { job, progress, running, cancelling, result, error, start, cancel };
});
