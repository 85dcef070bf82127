import { defineStore } from 'pinia';
import { ref } from 'vue';
import { useApi } from '../api/use-api';
import type { PickedFile } from '../library/picked-files';
import { sendPhotos, type UploadOutcome, type UploadProgress } from '../library/photo-upload';
import { useImportStore, type ImportRequest } from './useImportStore';

/** The import options an upload hands on to the import that follows it (the folder is the photos folder). */
export type UploadImportOptions = Omit<ImportRequest, 'folder'>;

/**
 * Photos dropped into (or chosen in) the Library page under `graft serve`: sent into the
 * project's photos folder with progress and Cancel, then imported there by the normal import
 * job. Held in a store so leaving the view mid-upload keeps both going and showing.
 */
export const usePhotoUploadStore = defineStore('photoUpload', () => {
  const progress = ref<UploadProgress | null>(null);
  const outcome = ref<UploadOutcome | null>(null);
  const error = ref<string | null>(null);
  const cancelling = ref(false);
  let abort: AbortController | null = null;

  /** Sends the files, then starts the import of the photos folder with `options`. */
  async function start(picked: readonly PickedFile[], options: UploadImportOptions): Promise<void> {
    if (abort || picked.length === 0) return;
    abort = new AbortController();
    error.value = null;
    outcome.value = null;
    cancelling.value = false;
    progress.value = { files: 0, totalFiles: 0, bytes: 0, totalBytes: 0, current: null, bytesPerSecond: null };
    try {
      const result = await sendPhotos(useApi(), picked, options.allowSvg === true, { signal: abort.signal, onProgress: (p) => (progress.value = p) });
      outcome.value = result;
      if (result.folder) await useImportStore().start({ ...options, folder: result.folder });
    } catch (e) {
      error.value = e instanceof Error ? e.message : String(e);
    } finally {
      abort = null;
      progress.value = null;
      cancelling.value = false;
    }
  }

  /** Stops after the file in flight; the server removes what this upload wrote. */
  function cancel(): void {
    if (!abort) return;
    cancelling.value = true;
    abort.abort();
  }

  /** Forgets the last outcome and error (a new drop, or the user closed the message). */
  function dismiss(): void {
    outcome.value = null;
    error.value = null;
  }

  return { progress, outcome, error, cancelling, start, cancel, dismiss };
});
