import { flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ClassInfo, LibraryCounts } from '../../../src-main/api/types/library';
import { setApiClient } from '../api/use-api';
import { fakeApi } from '../test-support/fake-api';
import { useLibraryStore } from './useLibraryStore';

const cls = (id: number, name: string, sortOrder: number): ClassInfo => ({ id, name, color: '#336699', sortOrder, hotkey: null, imageCount: 0 });
const counts = (total: number): LibraryCounts => ({ total, labelled: 0, unlabelled: total, missing: 0, perClass: {} });

describe('useLibraryStore', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('loads counts and sorted classes, and refreshes on library.changed', async () => {
    let total = 3;
    const api = fakeApi({
      'library.counts': () => counts(total),
      'classes.list': () => [cls(1, 'dog', 2), cls(2, 'cat', 1)],
    });
    setApiClient(api);
    const store = useLibraryStore();
    await store.follow();
    expect(store.counts?.total).toBe(3);
    expect(store.classes.map((c) => c.name)).toEqual(['cat', 'dog']);

    total = 10;
    api.emit('library.changed', { reason: 'import' });
    await flushPromises();
    expect(store.counts?.total).toBe(10);
  });

  it('subscribes only once however often follow is called', async () => {
    const api = fakeApi({ 'library.counts': () => counts(1), 'classes.list': () => [] });
    setApiClient(api);
    const store = useLibraryStore();
    await store.follow();
    await store.follow();
    expect(api.listeners('library.changed')).toBe(1);
    const before = api.calls.length;
    api.emit('library.changed', { reason: 'labels' });
    await flushPromises();
    expect(api.calls.length - before).toBe(2);
  });

  it('keeps the newest answer when refreshes overlap', async () => {
    const answers = [counts(1), counts(2)];
    const gates: (() => void)[] = [];
    const api = fakeApi({
      'library.counts': () => {
        const answer = answers.shift()!;
        return new Promise((resolve) => gates.push(() => resolve(answer)));
      },
      'classes.list': () => [],
    });
    setApiClient(api);
    const store = useLibraryStore();
    const first = store.refresh();
    const second = store.refresh();
    gates[1]!();
    await second;
    gates[0]!();
    await first;
    expect(store.counts?.total).toBe(2);
  });
});
