import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ClassInfo, LibraryCounts } from '../../../src-main/api/types/library';
import { useApi } from '../api/use-api';

/** Library totals and classes, kept fresh by 'library.changed' events. */
export const useLibraryStore = defineStore('library', () => {
  const counts = ref<LibraryCounts | null>(null);
  /** Classes sorted by their sortOrder (the order of the 1–9 hotkeys). */
  const classes = ref<ClassInfo[]>([]);
  /** Why the last refresh failed; null after one succeeds. */
  const error = ref<string | null>(null);
  let following = false;
  let latest = 0;

  /** Re-reads counts and classes. Overlapping refreshes keep only the newest answer. */
  async function refresh(): Promise<void> {
    const api = useApi();
    const mine = ++latest;
    const [nextCounts, nextClasses] = await Promise.all([api.call('library.counts'), api.call('classes.list')]);
    if (mine !== latest) return;
    counts.value = nextCounts;
    classes.value = [...nextClasses].sort((a, b) => a.sortOrder - b.sortOrder);
    error.value = null;
  }

  /** Loads once and refreshes on every library change (subscribes only once). */
  async function follow(): Promise<void> {
    if (!following) {
      following = true;
      useApi().on('library.changed', () => {
        refresh().catch((e: unknown) => (error.value = e instanceof Error ? e.message : String(e)));
      });
    }
    await refresh();
  }

  return { counts, classes, error, refresh, follow };
});
