import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ImageFolderExport } from '../../../src-main/api/types/library';
import { useApi } from '../api/use-api';
import { useJob } from '../composables/useJob';

/** Where and how an ImageFolder export writes. */
export interface FolderExportRequest {
  dir: string;
  link: boolean;
  bySplit: boolean;
}

/**
 * The running ImageFolder export and the last one's result. A store rather than panel state,
 * so leaving the Library view mid-export and coming back still shows progress and Cancel.
 */
export const useFolderExportStore = defineStore('folderExport', () => {
  const job = useJob();
  const result = ref<ImageFolderExport | null>(null);

  /** Exports as a job; resolves with the result (also kept in `result`). */
  async function start(request: FolderExportRequest): Promise<ImageFolderExport> {
    result.value = null;
    result.value = await job.start((jobId) => useApi().call('labels.exportImageFolder', { ...request, jobId }));
    return result.value;
  }

  return { progress: job.progress, running: job.running, cancelling: job.cancelling, result, start, cancel: job.cancel };
});
