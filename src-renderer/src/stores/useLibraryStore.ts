import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ClassInfo, LibraryCounts } from '../../../src-main/core/library/library-types';
import { useApi } from '../api/use-api';

/** Library totals and classes, kept fresh by 'library.changed' events. */
export const useLibraryStore = defineStore('library', () => {
  const counts = ref<LibraryCounts | null>(null);
  const classes = ref<ClassInfo[]>([]);
  let following = false;

  /** Re-reads counts and classes. */
  async function refresh(): Promise<void> {
    const api = useApi();
    const [nextCounts, nextClasses] = await Promise.all([api.call('library.counts'), api.call('classes.list')]);
    counts.value = nextCounts;
    classes.value = [...nextClasses].sort((a, b) => a.sortOrder - b.sortOrder);
  }

  /** Loads once and refreshes on every library change (subscribes only once). */
  async function follow(): Promise<void> {
    if (!following) {
      following = true;
      useApi().on('library.changed', () => void refresh());
    }
    await refresh();
  }

  return { counts, classes, refresh, follow };
});
