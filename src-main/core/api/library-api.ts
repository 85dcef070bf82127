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
  type ImportProgress,
} from '../library';
import { requireString } from './validate';

type LibraryRequests = 'library.import' | 'library.list' | 'library.ids' | 'library.counts' | 'library.image' | 'classes.list';

/** Words for the progress bar of an import. */
function importMessage(progress: ImportProgress): string {
  if (progress.phase === 'scanning') return `Scanning… ${progress.total} files found`;
  return `${progress.added} added, ${progress.duplicates} duplicates, ${progress.skipped} skipped`;
}

/** Handlers for importing and browsing the photo library. */
export function libraryApi(ctx: AppContext, changed: (reason: LibraryChanged['reason']) => void): HandlerSlice<LibraryRequests> {
  const project = () => ctx.session.require();
  return {
    'library.import': async (params) => {
      const folder = requireString(params, 'folder');
      const { jobId: _jobId, folder: _folder, ...options } = params;
      try {
        return await ctx.jobs.run(requireString(params, 'jobId'), 'import', ({ signal, progress }) =>
          importFolder(project(), folder, options, {
            signal,
            onProgress: (p) =>
              progress(p.done, p.total, importMessage(p), { ratePerSecond: p.imagesPerSecond, etaSeconds: p.etaSeconds }),
          }),
        );
      } finally {
        changed('import');
      }
    },
    'library.list': (query) => listImages(project(), query ?? {}),
    'library.ids': (query) => listImageIds(project(), query ?? {}),
    'library.counts': () => libraryCounts(project()),
    'library.image': ({ imageId }) => {
      const image = getImage(project(), imageId);
      if (!image) throw new GraftError('not-found', `Image ${imageId} is not in this project.`);
      return image;
    },
    'classes.list': () => listClasses(project()),
  };
}
