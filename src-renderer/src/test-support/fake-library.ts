import type { ClassInfo, ImageListItem, ImageQuery, UndoState } from '../../../src-main/api/types/library';
import { fakeApi, type FakeApi } from './fake-api';

/** An in-memory library behind the requests the Label view makes, with labels, classes and one undo step. */
export interface FakeLibrary {
  api: FakeApi;
  labels: Map<number, number>;
  classes: ClassInfo[];
}

/**
 * A project of `count` images named `photo-<id>.jpg` and the given class names (keys 1–9 in
 * order, none past the ninth), answering list, ids, counts, classes, labels and undo like the
 * main side would.
 */
export function fakeLibrary(count: number, classNames: readonly string[] = []): FakeLibrary {
  const labels = new Map<number, number>();
  const classes: ClassInfo[] = classNames.map((name, i) => ({
    id: 100 + i,
    name,
    color: '#336699',
    sortOrder: i,
    hotkey: i < 9 ? i + 1 : null,
    imageCount: 0,
  }));
  let last: { ids: number[]; before: (number | undefined)[]; summary: string } | null = null;
  const undoState = (): UndoState => ({ canUndo: last !== null, canRedo: false, undoSummary: last?.summary ?? null, redoSummary: null });
  const matches = (query: ImageQuery) =>
    Array.from({ length: count }, (_, i) => i + 1).filter((id) => {
      if (query.unlabelled && labels.has(id)) return false;
      if (query.classId !== undefined && labels.get(id) !== query.classId) return false;
      return !query.nameContains || `photo-${id}.jpg`.includes(query.nameContains.toLowerCase());
    });
  const item = (id: number): ImageListItem => ({
    id,
    path: `/photos/photo-${id}.jpg`,
    fileName: `photo-${id}.jpg`,
    width: 640,
    height: 480,
    format: 'jpeg',
    classId: labels.get(id) ?? null,
    split: null,
    pinned: false,
    missing: false,
    thumbUrl: `/media/thumb/${id}?size=256`,
    displayUrl: `/media/display/${id}`,
    originalUrl: `/media/original/${id}`,
  });
  const withCounts = () => classes.map((c) => ({ ...c, imageCount: [...labels.values()].filter((v) => v === c.id).length }));
  const relabel = (ids: number[], classId: number | null, summary: string) => {
    last = { ids, before: ids.map((id) => labels.get(id)), summary };
    for (const id of ids) {
      if (classId === null) labels.delete(id);
      else labels.set(id, classId);
    }
    return { changed: ids.length, unknown: 0, undo: undoState() };
  };
  const api = fakeApi({
    'library.list': (query) => {
      const all = matches(query);
      const offset = query.offset ?? 0;
      return { total: all.length, offset, items: all.slice(offset, offset + (query.limit ?? 200)).map(item) };
    },
    'library.ids': (query) => {
      const offset = query.offset ?? 0;
      return matches(query).slice(offset, query.limit === undefined ? undefined : offset + query.limit);
    },
    'library.counts': () => ({ total: count, labelled: labels.size, unlabelled: count - labels.size, missing: 0, perClass: {} }),
    'classes.list': () => withCounts(),
    'classes.create': ({ name }) => {
      const used = new Set(classes.map((c) => c.hotkey));
      const id = 100 + classes.length;
      classes.push({ id, name, color: '#994433', sortOrder: classes.length, hotkey: [1, 2, 3, 4, 5, 6, 7, 8, 9].find((k) => !used.has(k)) ?? null, imageCount: 0 });
      return { classId: id, imagesChanged: 0, undo: undoState() };
    },
    'classes.rename': ({ classId, name }) => {
      classes.find((c) => c.id === classId)!.name = name;
      return { classId, imagesChanged: 0, undo: undoState() };
    },
    'classes.setHotkey': ({ classId, hotkey }) => {
      const cls = classes.find((c) => c.id === classId)!;
      const holder = classes.find((c) => c.hotkey === hotkey && hotkey !== null);
      if (holder) holder.hotkey = cls.hotkey;
      cls.hotkey = hotkey;
      return { classId, imagesChanged: 0, undo: undoState() };
    },
    'labels.assign': ({ imageIds, classId }) => relabel(imageIds, classId, `label ${imageIds.length} images`),
    'labels.remove': ({ imageIds }) => relabel(imageIds, null, `unlabel ${imageIds.length} images`),
    'labels.undoState': () => undoState(),
    'labels.undo': () => {
      if (!last) return null;
      const done = last;
      done.ids.forEach((id, i) => (done.before[i] === undefined ? labels.delete(id) : labels.set(id, done.before[i]!)));
      last = null;
      return { kind: 'assign', summary: done.summary, imagesChanged: done.ids.length, state: undoState() };
    },
  });
  return { api, labels, classes };
}
