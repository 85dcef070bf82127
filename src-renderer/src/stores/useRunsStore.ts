import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { RunSummary } from '../../../src-main/api/types/runs';
import { useApi } from '../api/use-api';

/** The project's training runs, newest first, kept fresh by `runs.changed` (a run created, renamed, deleted or ended). */
export const useRunsStore = defineStore('runs', () => {
  const runs = ref<RunSummary[]>([]);
  const loaded = ref(false);
  /** Why the last refresh failed; null after one succeeds. */
  const error = ref<string | null>(null);
  let following = false;
  let latest = 0;

  /** Re-reads the list; overlapping refreshes keep only the newest answer. */
  async function refresh(): Promise<void> {
    const mine = ++latest;
    try {
      const next = await useApi().call('runs.list');
      if (mine !== latest) return;
      runs.value = next;
      loaded.value = true;
      error.value = null;
    } catch (e) {
      if (mine === latest) error.value = e instanceof Error ? e.message : String(e);
    }
  }

  /** Loads once and refreshes on every `runs.changed` (subscribes only once). */
  async function follow(): Promise<void> {
    if (!following) {
      following = true;
      useApi().on('runs.changed', () => void refresh());
      // Relabelling changes a gallery's "now labelled" column, not the list; a new project changes everything.
      useApi().on('library.changed', ({ reason }) => {
        if (reason === 'project') void refresh();
      });
    }
    await refresh();
  }

  /** Renames a run (the list refreshes from the event, and at once from the answer). */
  async function rename(runId: number, name: string): Promise<void> {
    const summary = await useApi().call('runs.rename', { runId, name });
    runs.value = runs.value.map((run) => (run.id === runId ? summary : run));
  }

  /** Deletes a run with its checkpoints. */
  async function remove(runId: number): Promise<void> {
    await useApi().call('runs.delete', { runId });
    runs.value = runs.value.filter((run) => run.id !== runId);
  }

  return { runs, loaded, error, refresh, follow, rename, remove };
});
