import path from 'node:path';
import { exportDownloadUrl } from '../../api/export-download';
import type { HostMode } from '../../api/types/app';
import type { ExportResult } from '../../api/types/export';

/**
 * An export's result with where a browser downloads it: under `graft serve`, for a folder
 * directly inside the project's exports (the only ones the download route sends); null
 * elsewhere (the desktop app writes to a folder the user sees).
 */
export function withDownloadUrl(result: ExportResult, exportsDir: string, mode: HostMode): ExportResult {
  const inExports = path.resolve(path.dirname(result.dir)) === path.resolve(exportsDir);
  return { ...result, downloadUrl: mode === 'serve' && inExports ? exportDownloadUrl(path.basename(result.dir)) : null };
}
