import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../api/api-client';
import type { ImageListItem, ImageQuery } from '../../../src-main/api/types/library';
import { useLabelGrid } from './use-label-grid';

/** An in-memory library behind the few requests the grid makes. */
function fakeLibrary(count: number) {
  const labels = new Map<number, number>();
  const items = (query: ImageQuery): ImageListItem[] =>
    Array.from({ length: count }, (_, i) => i + 1)
      .filter((id) => (query.unlabelled ? !labels.has(id) : query.classId === undefined || labels.get(id) === query.classId))
      .map((id) => ({ id, path: `/p/${id}.jpg`, fileName: `${id}.jpg`, width: 1, height: 1, format: 'jpeg', classId: labels.get(id) ?? null, split: null, pinned: false, missing: false, thumbUrl: `/media/thumb/${id}?size=256`, displayUrl: `/media/display/${id}`, originalUrl: `/media/original/${id}` }));
  const undo = { canUndo: false, canRedo: false, undoSummary: null, redoSummary: null };
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
      return { changed: p.imageIds.length, unknown: 0, undo };
    },
    'labels.remove': (p: { imageIds: number[] }) => {
      for (const id of p.imageIds) labels.delete(id);
      return { changed: p.imageIds.length, unknown: 0, undo };
    },
    'labels.undoState': () => undo,
    'labels.undo': () => {
      const last = history.pop()!;
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

async function ready(count: number, filter?: 'unlabelled') {
  const lib = fakeLibrary(count);
  const grid = useLabelGrid(lib.api, (i) => [10, 20, 30][i] ?? null);
  grid.range.value = [0, count - 1];
  await grid.setFilter({ label: { kind: filter ?? 'all' } as { kind: 'all' }, split: 'any', name: '' });
  await grid.list.value.ensure(0, count - 1);
  return { ...lib, grid };
}

describe('useLabelGrid', () => {
  it('runs fast key presses in order: 1 2 3 label three consecutive images', async () => {
    const { grid, labels } = await ready(10);
    await Promise.all([grid.perform({ kind: 'assign', classIndex: 0 }), grid.perform({ kind: 'assign', classIndex: 1 }), grid.perform({ kind: 'assign', classIndex: 2 })]);
    expect([...labels.entries()]).toEqual([[1, 10], [2, 20], [3, 30]]);
    expect(grid.selection.focus).toBe(3);
  });

  it('in the unlabelled filter, stays put as labelled images leave so none is skipped', async () => {
    const { grid, labels } = await ready(5, 'unlabelled');
    for (let i = 0; i < 3; i++) void grid.perform({ kind: 'assign', classIndex: 0 });
    await grid.perform({ kind: 'move', dx: 0, dy: 0, extend: false });
    expect([...labels.keys()]).toEqual([1, 2, 3]);
    expect(grid.list.value.total).toBe(2);
    expect(grid.selection.focus).toBe(0);
  });

  it('labels a whole selection at once, and says so when a class number does not exist', async () => {
    const { grid, labels } = await ready(8);
    await grid.click(2, grid.list.value.at(2)!, { shiftKey: false, ctrlKey: false, metaKey: false });
    await grid.click(5, grid.list.value.at(5)!, { shiftKey: true, ctrlKey: false, metaKey: false });
    await grid.perform({ kind: 'assign', classIndex: 1 });
    expect([...labels.keys()].sort()).toEqual([3, 4, 5, 6]);
    await grid.perform({ kind: 'assign', classIndex: 7 });
    expect(grid.message.value).toBe('There is no class 8. Add classes in the sidebar.');
  });

  it('after undo brings an image back under the focus ring, the next hotkey labels that image', async () => {
    const { grid, labels } = await ready(4, 'unlabelled');
    await grid.moveTo(0, false);
    await grid.perform({ kind: 'assign', classIndex: 0 });
    expect(grid.selection.targets(null)).toEqual([2]);
    await grid.perform({ kind: 'undo' });
    await grid.perform({ kind: 'assign', classIndex: 1 });
    expect(labels.get(1)).toBe(20);
    expect(labels.has(2)).toBe(false);
  });
});
