import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { PredictFilesParams } from '../../../src-main/api/types/predict';
import { useApi } from '../api/use-api';
import { latestJob } from './latest-job';
import { useJobsStore } from './useJobsStore';

/** A file or folder to predict: its path where the main side reads it, and how the page names it. */
export interface PhotoSource {
  path: string;
  /** The file name of a photo sent from the browser (its path is a server upload folder). */
  name: string;
  uploaded: boolean;
}

/**
 * The Use page's prediction: the running job (found again after a reload or in a second
 * window, through the jobs store), its result, and pictures of the files this page itself
 * sent or picked (object URLs: files outside the project have no media URL).
 */
export const usePredictStore = defineStore('predict', () => {
  const jobs = useJobsStore();
  const latest = latestJob('predict');
  const startError = ref<string | null>(null);
  const starting = ref(false);
  /** Server path → an object URL of the same file in this page. */
  const previews = ref<Record<string, string>>({});
  /** What the next prediction reads: files and folders by their path on the main side (kept while the user visits other pages). */
  const sources = ref<PhotoSource[]>([]);

  const error = computed(() => {
    if (startError.value) return startError.value;
    if (latest.cancelError.value) return `Could not cancel the prediction: ${latest.cancelError.value}`;
    const job = latest.job.value;
    if (!job || (job.status !== 'failed' && job.status !== 'cancelled')) return null;
    return job.error?.code === 'cancelled' ? 'The prediction was cancelled.' : (job.error?.message ?? 'The prediction failed.');
  });

  /** Starts a prediction as a job, unless one is running. */
  async function start(params: PredictFilesParams): Promise<void> {
    if (latest.running.value || starting.value) return;
    startError.value = null;
    starting.value = true;
    try {
      const { jobId } = await useApi().call('predict.files', params);
      await jobs.track(jobId);
    } catch (e) {
      startError.value = e instanceof Error ? e.message : String(e);
    } finally {
      starting.value = false;
    }
  }

  /** Remembers a picture of a file for its tile. */
  function addPreview(path: string, file: Blob): void {
    const old = previews.value[path];
    if (old) URL.revokeObjectURL(old);
    previews.value = { ...previews.value, [path]: URL.createObjectURL(file) };
  }

  /** Adds files or folders to predict (each path once). */
  function addSources(added: readonly PhotoSource[]): void {
    const known = new Set(sources.value.map((s) => s.path));
    sources.value = [...sources.value, ...added.filter((s) => !known.has(s.path) && known.add(s.path))];
  }

  /** Takes a file or folder off the list. */
  function removeSource(path: string): void {
    sources.value = sources.value.filter((s) => s.path !== path);
  }

  /** Forgets a picture. */
  function dropPreview(path: string): void {
    const old = previews.value[path];
    if (!old) return;
    URL.revokeObjectURL(old);
    const { [path]: _dropped, ...rest } = previews.value;
    previews.value = rest;
  }

  const { job, progress, running, cancelling, result, cancel } = latest;
  return { job, progress, running, cancelling, result, error, starting, previews, sources, start, cancel, addPreview, dropPreview, addSources, removeSource };
});
