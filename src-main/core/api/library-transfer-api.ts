import type { HandlerSlice } from '../../api/dispatcher';
import { GraftError } from '../../api/errors';
import { FINAL_JOB_STATUSES } from '../../api/types/jobs';
import type { AppContext } from '../app-context';
import { browseFolder } from '../library/folder-browser';
import { checkNoImportRunning } from '../library/import-lock';
import { importedFolders } from '../library/import-run-log';
import { UploadSessions, type UploadSessionOptions } from '../uploads/upload-sessions';

type TransferRequests = 'library.browse' | 'library.uploadStart' | 'library.uploadFile' | 'library.uploadFinish' | 'library.uploadCancel';

/** Earlier imports the folder browser offers. */
const RECENT_FOLDERS = 10;

/**
 * Handlers for bringing photos in from a browser page (under `graft serve`, where the page
 * has neither a native folder dialog nor the paths of dropped files): a folder browser on the
 * server, and uploads into the project's own photos folder, which the page then imports.
 */
export function libraryTransferApi(ctx: AppContext, options: UploadSessionOptions = {}): HandlerSlice<TransferRequests> {
  const uploads = new UploadSessions(options);
  return {
    'library.browse': (params) => {
      const db = ctx.session.current?.db;
      return browseFolder(params, { recent: db ? importedFolders(db, RECENT_FOLDERS) : [] });
    },
    'library.uploadStart': (params) => {
      const project = ctx.session.require();
      const running = ctx.jobs.list().find((job) => job.kind === 'import' && !FINAL_JOB_STATUSES.includes(job.status));
      if (running) throw new GraftError('bad-request', `An import is running (${running.title}); wait for it or cancel it, then drop the photos again.`);
      checkNoImportRunning(project);
      return uploads.start(project.layout.photos, params);
    },
    'library.uploadFile': ({ uploadId, index, data }) => uploads.file(uploadId, index, data),
    'library.uploadFinish': ({ uploadId }) => uploads.finish(uploadId),
    'library.uploadCancel': ({ uploadId }) => uploads.cancel(uploadId),
  };
}
