import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AppInfo, ProjectInfo } from '../../../src-main/api/types/app';
import { useApi } from '../api/use-api';

/** App info and the open project. */
export const useAppStore = defineStore('app', () => {
  const info = ref<AppInfo | null>(null);
  const project = ref<ProjectInfo | null>(null);
  const error = ref<string | null>(null);

  let following = false;

  /** Loads app info and the current project, and follows project switches from any window. */
  async function load(): Promise<void> {
    const api = useApi();
    if (!following) {
      following = true;
      api.on('library.changed', ({ reason }) => {
        if (reason === 'project') void api.call('project.current').then((next) => (project.value = next));
      });
    }
    try {
      info.value = await api.call('app.info');
      project.value = await api.call('project.current');
      error.value = null;
    } catch (e) {
      error.value = (e as Error).message;
    }
  }

  /** Opens (or creates) the project in `dir`. */
  async function openProject(dir: string, create = false): Promise<void> {
    try {
      project.value = await useApi().call(create ? 'project.create' : 'project.open', { dir });
      error.value = null;
    } catch (e) {
      error.value = (e as Error).message;
    }
  }

  /** Asks the host for a folder (Electron only); null when cancelled. */
  async function pickFolder(): Promise<string | null> {
    return useApi().call('project.pickFolder');
  }

  return { info, project, error, load, openProject, pickFolder };
});
