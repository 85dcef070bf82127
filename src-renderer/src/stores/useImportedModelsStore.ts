import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ImportedModel, ModelImportParams } from '../../../src-main/api/types/predict';
import { useApi } from '../api/use-api';

/** The models imported into the project (exported TF.js or Keras models, ours or compatible), for the model pickers. */
export const useImportedModelsStore = defineStore('imported-models', () => {
  const models = ref<ImportedModel[]>([]);
  const error = ref<string | null>(null);
  let following = false;

  /** Re-reads the list. */
  async function refresh(): Promise<void> {
    try {
      models.value = await useApi().call('models.imported');
      error.value = null;
    } catch (e) {
      error.value = e instanceof Error ? e.message : String(e);
    }
  }

  /** Loads once and again when another project opens (subscribes only once). */
  async function follow(): Promise<void> {
    if (!following) {
      following = true;
      useApi().on('library.changed', ({ reason }) => {
        if (reason === 'project' || reason === 'suggestions') void refresh();
      });
    }
    await refresh();
  }

  /** Imports a model; a refusal (classes that differ, not a model) is thrown for the form to show. */
  async function importModel(params: ModelImportParams): Promise<ImportedModel> {
    const model = await useApi().call('models.import', params);
    models.value = [...models.value.filter((m) => m.id !== model.id), model];
    return model;
  }

  /** Removes an imported model from the project (its copy too). */
  async function remove(modelId: number): Promise<void> {
    await useApi().call('models.removeImported', { modelId });
    models.value = models.value.filter((m) => m.id !== modelId);
  }

  return { models, error, refresh, follow, importModel, remove };
});
