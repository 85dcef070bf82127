import type { UploadRefusal, UploadStored } from '../../../src-main/api/types/photo-upload';
import type { ApiClient } from '../api/api-client';
import { ApiCallError } from '../api/api-client';
import { base64Of } from '../api/upload-transport';
import type { PickedFile } from './picked-files';

/** How far an upload is: files and bytes sent of those the server accepted. */
export interface UploadProgress {
  files: number;
  totalFiles: number;
  bytes: number;
  totalBytes: number;
  /** The file being sent. */
  current: string | null;
  /** Bytes per second so far; null before the first file lands. */
  bytesPerSecond: number | null;
}

/** What an upload came to: the folder to import (null when nothing landed), how files were kept, and what was not taken. */
export interface UploadOutcome {
  folder: string | null;
  stored: Record<UploadStored, number>;
  /** Files refused before sending (name, type, size) or failing while sent, with the reason. */
  refused: { path: string; reason: string }[];
  cancelled: boolean;
}

/** Clock and callbacks of one upload. */
export interface UploadControl {
  signal?: AbortSignal;
  onProgress?: (progress: UploadProgress) => void;
  now?: () => number;
}

/** Files sent at once. */
const IN_FLIGHT = 2;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Sends dropped or chosen photos to `graft serve`, into the project's photos folder: the
 * server first says which files it takes (and refuses the rest with reasons, or the whole
 * upload when it is too large), then each file goes as base64 in its own request, two at a
 * time. Cancel (the signal) stops after the files in flight and has the server remove what
 * this upload wrote. The caller imports the folder of the outcome.
 */
export async function sendPhotos(api: ApiClient, picked: readonly PickedFile[], allowSvg: boolean, control: UploadControl = {}): Promise<UploadOutcome> {
  const now = control.now ?? (() => performance.now());
  const plan = await api.call('library.uploadStart', { files: picked.map((p) => ({ path: p.path, size: p.file.size })), allowSvg });
  const refused: UploadOutcome['refused'] = plan.refused.map((r: UploadRefusal) => ({ path: r.path, reason: r.reason }));
  const stored: Record<UploadStored, number> = { new: 0, renamed: 0, identical: 0 };
  const progress: UploadProgress = { files: 0, totalFiles: plan.accepted.length, bytes: 0, totalBytes: plan.bytes, current: null, bytesPerSecond: null };
  const started = now();
  control.onProgress?.({ ...progress });
  let next = 0;
  let gone: unknown = null;
  const sendNext = async (): Promise<void> => {
    while (next < plan.accepted.length && !control.signal?.aborted && gone === null) {
      const index = plan.accepted[next++]!;
      const { file, path } = picked[index]!;
      control.onProgress?.({ ...progress, current: path });
      try {
        const result = await api.call('library.uploadFile', { uploadId: plan.uploadId, index, data: await base64Of(file) });
        stored[result.stored]++;
      } catch (e) {
        // The upload itself is gone (idle too long, the server restarted): nothing more will land.
        if (e instanceof ApiCallError && e.code === 'not-found') gone = e;
        else refused.push({ path, reason: message(e) });
      }
      progress.files++;
      progress.bytes += file.size;
      const seconds = (now() - started) / 1000;
      progress.bytesPerSecond = seconds > 0 ? progress.bytes / seconds : null;
      control.onProgress?.({ ...progress });
    }
  };
  // Two files in flight: the page encodes the next one while the server writes the last.
  await Promise.all(Array.from({ length: IN_FLIGHT }, sendNext));
  if (gone !== null) throw gone;
  if (control.signal?.aborted) {
    await api.call('library.uploadCancel', { uploadId: plan.uploadId });
    return { folder: null, stored: { new: 0, renamed: 0, identical: 0 }, refused, cancelled: true };
  }
  const finished = await api.call('library.uploadFinish', { uploadId: plan.uploadId });
  const landed = finished.stored.new + finished.stored.renamed + finished.stored.identical;
  return { folder: landed > 0 ? finished.folder : null, stored: finished.stored, refused, cancelled: false };
}
