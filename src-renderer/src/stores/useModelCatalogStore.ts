import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ArchName, ModelInfo } from '../../../src-main/api/types/models';
import { useApi } from '../api/use-api';

/** The architectures Graft can build (`models.list`), loaded once: they do not change while the app runs. */
export const useModelCatalogStore = defineStore('modelCatalog', () => {
  const models = ref<ModelInfo[]>([]);
  const error = ref<string | null>(null);
  let loading: Promise<void> | null = null;

  /** Loads the list once; a failure can be retried. */
  function load(): Promise<void> {
    loading ??= useApi()
      .call('models.list')
      .then((list) => {
        models.value = list;
        error.value = null;
      })
      .catch((e: unknown) => {
        error.value = e instanceof Error ? e.message : String(e);
        loading = null;
      });
    return loading;
  }

  /** One architecture's card data, when loaded. */
  const byArch = computed(() => new Map(models.value.map((m) => [m.arch as ArchName, m])));

  return { models, error, byArch, load };
});
