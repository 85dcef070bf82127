import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { DatasetCheck } from '../../../src-main/api/types/runs';
import { useApi } from '../api/use-api';

/**
 * The wizard's data check (`training.check`), re-run after every library change so a fix
 * made in another view or window shows at once. Training is possible when it lists no problem.
 */
export const useDatasetCheckStore = defineStore('datasetCheck', () => {
  const check = ref<DatasetCheck | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  let following = false;
  let latest = 0;

  /** Runs the check again; overlapping answers keep only the newest. */
  async function refresh(): Promise<void> {
    const mine = ++latest;
    loading.value = true;
    try {
      const next = await useApi().call('training.check');
      if (mine !== latest) return;
      check.value = next;
      error.value = null;
    } catch (e) {
      if (mine === latest) error.value = e instanceof Error ? e.message : String(e);
    } finally {
      if (mine === latest) loading.value = false;
    }
  }

  /** Checks once and again after every library change (subscribes once). */
  async function follow(): Promise<void> {
    if (!following) {
      following = true;
      useApi().on('library.changed', () => void refresh());
    }
    await refresh();
  }

  /** True once a check came back without problems. */
  const passed = computed(() => check.value !== null && check.value.problems.length === 0);
  /** Classes the run would train on (those with labelled images). */
  const classCount = computed(() => check.value?.classes.length ?? null);

  return { check, loading, error, passed, classCount, refresh, follow };
});
