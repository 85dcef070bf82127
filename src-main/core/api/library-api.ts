import type { LibraryChanged } from '../../api/contract';
import type { HandlerSlice } from '../../api/dispatcher';
import { GraftError } from '../../api/errors';
import type { AppContext } from '../app-context';
import {
  getImage,
  importFolder,
  libraryCounts,
  listImageIds,
  listImages,
  listClasses,
} from '../library';
import { coalesce } from '../../base/coalesce';
import { mediaUrl } from '../../api/media-url';
import { FINAL_JOB_STATUSES } from '../../api/types/jobs';
import { checkNoImportRunning } from '../library/import-lock';

type LibraryRequests = 'library.import' | 'library.list' | 'library.ids' | 'library.counts' | 'library.image' | 'classes.list';

/** How often an import tells open views to refresh their counts and grid. */
const IMPORT_REFRESH_MS = 1_000;

/** Thumbnail edge of the grid; the renderer shows what it is given. */
const GRID_THUMBNAIL_SIZE = 256;

/** Handlers for importing and browsing the photo library. */
export function libraryApi(ctx: AppContext, changed: (reason: LibraryChanged['reason']) => void): HandlerSlice<LibraryRequests> {
  const project = () => ctx.session.require();
  // The one media URL module builds the URLs; the renderer never does.
  const mediaUrlsOf = (imageId: number) => ({
    thumbUrl: mediaUrl({ kind: 'thumb', imageId, size: GRID_THUMBNAIL_SIZE }, ctx.options.mode),
    displayUrl: mediaUrl({ kind: 'display', imageId }, ctx.options.mode),
    originalUrl: mediaUrl({ kind: 'original', imageId }, ctx.options.mode),
  });
  return {
    'library.import': (params) => {
      const { folder, ...options } = params;
      const scope = project();
      const running = ctx.jobs.list().find((job) => job.kind === 'import' && !FINAL_JOB_STATUSES.includes(job.status));
      if (running) throw new GraftError('bad-request', `An import is already running (${running.title}). Wait for it or cancel it.`);
      // Another process (a `graft import`, a second serve) may hold the project: say so now, not as a failed job.
      checkNoImportRunning(scope);
      // The header counts and the grid follow the import as its batches commit, without polling.
      const changes = coalesce(IMPORT_REFRESH_MS, () => changed('import'));
      const job = ctx.jobs.start({
        kind: 'import',
        title: `Import ${folder}`,
        params,
        canPause: true,
        run: async (job) => {
          try {
            return await importFolder(scope, folder, options, {
              signal: job.signal,
              pause: job.pause,
              onProgress: job.progress,
              onCommitted: () => changes.push(undefined),
            });
          } finally {
            changes.dispose();
            changed('import');
          }
        },
      });
      return { jobId: job.id };
    },
    'library.list': (query) => {
      const page = listImages(project(), query);
      return { ...page, items: page.items.map((row) => ({ ...row, ...mediaUrlsOf(row.id) })) };
    },
    'library.ids': (query) => listImageIds(project(), query),
    'library.counts': () => libraryCounts(project()),
    'library.image': ({ imageId }) => {
      const image = getImage(project(), imageId);
      if (!image) throw new GraftError('not-found', `Image ${imageId} is not in this project.`);
      return image;
    },
    'classes.list': () => listClasses(project()),
  };
}
