import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../api/api-client';
import type { ClassInfo, ImageListItem, ImageQuery } from '../../../src-main/api/types/library';
import { useLabelGrid } from './use-label-grid';

/** An in-memory library behind the few requests the grid makes. */
function fakeLibrary(count: number) {
  const labels = new Map<number, number>();
  const items = (query: ImageQuery): ImageListItem[] =>
    Array.from({ length: count }, (_, i) => i + 1)
      .filter((id) => (query.unlabelled ? !labels.has(id) : query.classId === undefined || labels.get(id) === query.classId))
      .map((id) => ({ id, path: `/p/${id}.jpg`, fileName: `${id}.jpg`, width: 1, height: 1, format: 'jpeg', classId: labels.get(id) ?? null, split: null, pinned: false, missing: false, thumbUrl: `/media/thumb/${id}?size=256`, displayUrl: `/media/display/${id}`, originalUrl: `/media/original/${id}` }));
  const undo = { canUndo: false, canRedo: false, undoSummary: null as string | null, redoSummary: null };
  const history: { ids: number[]; before: (number | undefined)[] }[] = [];
  const handlers: Record<string, (p: never) => unknown> = {
    'library.list': (q: ImageQuery) => {
      const all = items(q);
      return { total: all.length, offset: q.offset ?? 0, items: all.slice(q.offset ?? 0, (q.offset ?? 0) + (q.limit ?? 200)) };
    },
    'library.ids': (q: ImageQuery) => items(q).slice(q.offset ?? 0, q.limit === undefined ? undefined : (q.offset ?? 0) + q.limit).map((i) => i.id),
    'labels.assign': (p: { imageIds: number[]; classId: number }) => {
      history.push({ ids: p.imageIds, before: p.imageIds.map((id) => labels.get(id)) });
      for (const id of p.imageIds) labels.set(id, p.classId);
      undo.undoSummary = `label ${p.imageIds.length} as ${p.classId}`;
      return { changed: p.imageIds.length, unknown: 0, undo: { ...undo } };
    },
    'labels.remove': (p: { imageIds: number[] }) => {
      for (const id of p.imageIds) labels.delete(id);
      return { changed: p.imageIds.length, unknown: 0, undo };
    },
    'labels.undoState': () => ({ ...undo }),
    'labels.undo': () => {
      const last = history.pop()!;
      undo.undoSummary = null;
      last.ids.forEach((id, i) => (last.before[i] === undefined ? labels.delete(id) : labels.set(id, last.before[i]!)));
      return { kind: 'assign', summary: 'label', imagesChanged: last.ids.length, state: undo };
    },
  };
  const api = {
    call: async (name: string, params?: unknown) => {
      await new Promise((r) => setTimeout(r, Math.random() * 5)); // replies arrive out of step with key presses
      return handlers[name]!(params as never);
    },
    on: () => () => {},
  } as unknown as ApiClient;
  return { api, labels };
}

const cls = (id: number, hotkey: number | null): ClassInfo => ({ id, name: `c${id}`, color: '#336699', sortOrder: id, hotkey, imageCount: 0 });

async function ready(count: number, filter?: 'unlabelled') {
  const lib = fakeLibrary(count);
  const classes = [cls(10, 1), cls(20, 2), cls(30, 3)];
  const grid = useLabelGrid(lib.api, { list: () => classes, refresh: async () => {} });
  grid.range.value = [0, count - 1];
  await grid.setFilter({ label: { kind: filter ?? 'all' } as { kind: 'all' }, split: 'any', name: '' });
  await grid.list.value.ensure(0, count - 1);
  return { ...lib, grid, classes };
}

describe('useLabelGrid', () => {
  it('runs fast key presses in order: 1 2 3 label three consecutive images', async () => {
    const { grid, labels } = await ready(10);
    await Promise.all([grid.perform({ kind: 'assign', key: 1 }), grid.perform({ kind: 'assign', key: 2 }), grid.perform({ kind: 'assign', key: 3 })]);
    expect([...labels.entries()]).toEqual([[1, 10], [2, 20], [3, 30]]);
    expect(grid.selection.focus).toBe(3);
  });

  it('in the unlabelled filter, stays put as labelled images leave so none is skipped', async () => {
    const { grid, labels } = await ready(5, 'unlabelled');
    for (let i = 0; i < 3; i++) void grid.perform({ kind: 'assign', key: 1 });
    await grid.perform({ kind: 'move', dx: 0, dy: 0, extend: false });
    expect([...labels.keys()]).toEqual([1, 2, 3]);
    expect(grid.list.value.total).toBe(2);
    expect(grid.selection.focus).toBe(0);
  });

  it('labels a whole selection at once, and says so when no class has the key', async () => {
    const { grid, labels } = await ready(8);
    await grid.click(2, grid.list.value.at(2)!, { shiftKey: false, ctrlKey: false, metaKey: false });
    await grid.click(5, grid.list.value.at(5)!, { shiftKey: true, ctrlKey: false, metaKey: false });
    await grid.perform({ kind: 'assign', key: 2 });
    expect([...labels.keys()].sort()).toEqual([3, 4, 5, 6]);
    await grid.perform({ kind: 'assign', key: 8 });
    expect(grid.message.value).toBe('No class has key 8. Give a class that key in its ⋯ menu, or press C to pick any class.');
  });

  it('after undo brings an image back under the focus ring, the next hotkey labels that image', async () => {
    const { grid, labels } = await ready(4, 'unlabelled');
    await grid.moveTo(0, false);
    await grid.perform({ kind: 'assign', key: 1 });
    expect(grid.selection.targets(null)).toEqual([2]);
    await grid.perform({ kind: 'undo' });
    await grid.perform({ kind: 'assign', key: 2 });
    expect(labels.get(1)).toBe(20);
    expect(labels.has(2)).toBe(false);
  });

  it('labels by the key a class holds, not by its place in the list', async () => {
    const { grid, labels, classes } = await ready(4);
    // The class with key 1 was merged away: key 2 still means class 20, and key 1 means nothing.
    classes.splice(0, 1, cls(40, 9));
    await grid.moveTo(0, false);
    await grid.perform({ kind: 'assign', key: 2 });
    expect(labels.get(1)).toBe(20);
    await grid.perform({ kind: 'assign', key: 9 });
    expect(labels.get(2)).toBe(40);
    await grid.perform({ kind: 'assign', key: 1 });
    expect(labels.has(3)).toBe(false);
  });

  it('assigns any class by id (the picker, the tile menu, the viewer), a tenth class included', async () => {
    const { grid, labels, classes } = await ready(3);
    classes.push(cls(100, null));
    await grid.moveTo(1, false);
    await grid.perform({ kind: 'assign-class', classId: 100 });
    expect(labels.get(2)).toBe(100);
    expect(grid.message.value).toBe('Labelled 1 image as “c100”');
  });

  it('shows a toast with Undo only when more than a screenful changed, and drops it when Undo would undo something else', async () => {
    const { grid } = await ready(40);
    grid.screenful.value = 12;
    await grid.perform({ kind: 'select-all' });
    await grid.perform({ kind: 'assign', key: 2 });
    expect(grid.toast.value).toEqual({ text: 'Labelled 40 images as “c20”', undoSummary: 'label 40 as 20' });
    await grid.perform({ kind: 'undo' });
    expect(grid.toast.value).toBeNull();
    await grid.moveTo(0, false);
    await grid.perform({ kind: 'assign', key: 1 });
    expect(grid.toast.value).toBeNull();
    expect(grid.message.value).toBe('Labelled 1 image as “c10”');
  });

  it('clears a stale message at the next action, and a missing-key message when the classes change', async () => {
    const { grid } = await ready(5);
    await grid.moveTo(0, false);
    await grid.perform({ kind: 'assign', key: 1 });
    await grid.perform({ kind: 'undo' });
    expect(grid.message.value).toMatch(/^Undid/);
    await grid.perform({ kind: 'move', dx: 1, dy: 0, extend: false });
    expect(grid.message.value).toBeNull();
    await grid.perform({ kind: 'assign', key: 7 });
    expect(grid.message.value).toMatch(/No class has key 7/);
    await grid.refresh();
    expect(grid.message.value).toBeNull();
  });
});
