import type { LibraryChanged } from '../../api/contract';
import type { HandlerSlice } from '../../api/dispatcher';
import type { AppContext } from '../app-context';
import {
  assignLabel,
  assignSplits,
  createClass,
  deleteClass,
  exportImageFolder,
  exportLabelsCsv,
  importLabelsCsv,
  mergeClasses,
  pinSplit,
  recolorClass,
  redo,
  removeLabels,
  renameClass,
  reorderClasses,
  setClassHotkey,
  splitCounts,
  splitSettings,
  undo,
  undoState,
  unpinSplit,
} from '../library';
import { checkImageIds } from '../library/labels';

type LabelRequests =
  | 'classes.create'
  | 'classes.rename'
  | 'classes.recolor'
  | 'classes.reorder'
  | 'classes.merge'
  | 'classes.delete'
  | 'classes.setHotkey'
  | 'labels.assign'
  | 'labels.remove'
  | 'labels.undo'
  | 'labels.redo'
  | 'labels.undoState'
  | 'labels.exportCsv'
  | 'labels.importCsv'
  | 'labels.exportImageFolder'
  | 'splits.assign'
  | 'splits.pin'
  | 'splits.summary';

/**
 * Handlers for everything that changes labels, classes and splits. Each library call is
 * one transaction; after it, 'library.changed' tells every open view to refresh.
 */
export function labelsApi(ctx: AppContext, changed: (reason: LibraryChanged['reason']) => void): HandlerSlice<LabelRequests> {
  const project = () => ctx.session.require();
  const after = <T>(reason: LibraryChanged['reason'], value: T): T => {
    changed(reason);
    return value;
  };
  return {
    'classes.create': ({ name, color }) => after('classes', createClass(project(), name, { color })),
    'classes.rename': ({ classId, name }) => after('classes', renameClass(project(), classId, name)),
    'classes.recolor': ({ classId, color }) => after('classes', recolorClass(project(), classId, color)),
    'classes.reorder': ({ classIds }) => after('classes', reorderClasses(project(), classIds)),
    'classes.merge': ({ sourceIds, targetId }) => after('classes', mergeClasses(project(), sourceIds, targetId)),
    'classes.delete': ({ classId }) => after('classes', deleteClass(project(), classId)),
    'classes.setHotkey': ({ classId, hotkey }) => after('classes', setClassHotkey(project(), classId, hotkey)),
    'labels.assign': ({ imageIds, classId }) => after('labels', assignLabel(project(), imageIds, classId)),
    'labels.remove': ({ imageIds }) => after('labels', removeLabels(project(), imageIds)),
    'labels.undo': () => after('labels', undo(project())),
    'labels.redo': () => after('labels', redo(project())),
    'labels.undoState': () => undoState(project()),
    'labels.exportCsv': ({ file }) => exportLabelsCsv(project(), file),
    'labels.importCsv': async ({ file }) => after('labels', await importLabelsCsv(project(), file)),
    'labels.exportImageFolder': (params) => {
      const { dir } = params;
      const options = { link: params.link === true, bySplit: params.bySplit === true };
      const scope = project();
      const job = ctx.jobs.start({
        kind: 'image-folder-export',
        title: `${options.link ? 'Link' : 'Copy'} photos into ${dir}`,
        params,
        run: (job) => exportImageFolder(scope, dir, options, { signal: job.signal, onProgress: job.progress }),
      });
      return { jobId: job.id };
    },
    'splits.assign': ({ seed, ...fractions }) => after('splits', assignSplits(project(), fractions, seed)),
    'splits.pin': ({ imageIds, split }) => {
      const ids = checkImageIds(imageIds);
      const changedCount = split === null ? unpinSplit(project(), ids).unpinned : pinSplit(project(), ids, split).pinned;
      return after('splits', { changed: changedCount });
    },
    'splits.summary': () => ({ counts: splitCounts(project()), settings: splitSettings(project()) }),
  };
}
