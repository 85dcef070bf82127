import type { ApiClient } from '../api/api-client';
import { base64Of, MAX_UPLOAD_BYTES } from '../api/upload-transport';

export { base64Of, MAX_UPLOAD_BYTES };

const IMAGE_NAME = /\.(jpe?g|png|webp|gif|tiff?|avif|bmp)$/i;

/** A file the page would not send, and why. */
export interface RefusedFile {
  name: string;
  reason: string;
}

/** Why a dropped or picked file is not sent (too large, empty, not a photo), or null when it can go. */
export function uploadRefusal(file: { name: string; size: number; type: string }): string | null {
  if (!file.type.startsWith('image/') && !IMAGE_NAME.test(file.name)) return 'not a photo (by its type and name)';
  if (file.size === 0) return 'empty';
  if (file.size > MAX_UPLOAD_BYTES) {
    return `${(file.size / 1024 / 1024).toFixed(1)} MB, over the ${MAX_UPLOAD_BYTES / 1024 / 1024} MB a browser may send; give its path on the server instead`;
  }
  return null;
}

/** A file sent to the server, with the path `predict.files` takes. */
export interface UploadedFile {
  file: File;
  path: string;
}

/**
 * Sends photos dropped into (or picked in) a browser page to the server one at a time, after
 * checking each one's size and type here; reports each as it lands, and what was refused.
 */
export async function uploadFiles(
  api: ApiClient,
  files: readonly File[],
  onUploaded: (uploaded: UploadedFile, index: number) => void = () => {},
): Promise<{ uploaded: UploadedFile[]; refused: RefusedFile[] }> {
  const uploaded: UploadedFile[] = [];
  const refused: RefusedFile[] = [];
  for (const [index, file] of files.entries()) {
    const reason = uploadRefusal(file);
    if (reason) {
      refused.push({ name: file.name, reason });
      continue;
    }
    try {
      const { path } = await api.call('predict.upload', { fileName: file.name, data: await base64Of(file) });
      uploaded.push({ file, path });
      onUploaded({ file, path }, index);
    } catch (e) {
      refused.push({ name: file.name, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return { uploaded, refused };
}
