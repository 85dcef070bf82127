import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { EngineStatus } from '../../../src-main/api/types/app';
import { useApi } from '../api/use-api';

/** Engine status, kept live by 'engine.status' events. */
export const useEngineStore = defineStore('engine', () => {
  const status = ref<EngineStatus | null>(null);
  let unsubscribe: (() => void) | null = null;

  /** Fetches the status once and follows its events. */
  async function follow(): Promise<void> {
    const api = useApi();
    unsubscribe ??= api.on('engine.status', (next) => (status.value = next));
    status.value = await api.call('engine.status');
  }

  /** Restarts the engine process. */
  async function restart(): Promise<void> {
    status.value = await useApi().call('engine.restart');
  }

  return { status, follow, restart };
});
