import { onBeforeUnmount, ref, watch, type Ref } from 'vue';
import type { ModelSummary, ModelSummaryParams } from '../../../src-main/api/types/models';
import { useApi } from '../api/use-api';
import { errorMessage } from '../library/format';

/** The summary of the base as the draft sets it up, reloaded (debounced) when the params change; stale answers are dropped. */
export function useModelSummary(params: () => ModelSummaryParams, delayMs = 250): {
  summary: Ref<ModelSummary | null>;
  loading: Ref<boolean>;
  error: Ref<string | null>;
  reload: () => Promise<void>;
} {
  const summary = ref<ModelSummary | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  let latest = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  async function reload(): Promise<void> {
    const mine = ++latest;
    loading.value = true;
    error.value = null;
    try {
      const next = await useApi().call('models.summary', params());
      if (mine === latest) summary.value = next;
    } catch (e) {
      if (mine === latest) error.value = errorMessage(e);
    } finally {
      if (mine === latest) loading.value = false;
    }
  }

  watch(
    () => JSON.stringify(params()),
    () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void reload(), delayMs);
    },
  );
  onBeforeUnmount(() => {
    if (timer) clearTimeout(timer);
    latest += 1;
  });
  void reload();
  return { summary, loading, error, reload };
}
