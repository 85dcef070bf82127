import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { SuggestionsAcceptAboveResult, SuggestionsRunParams, SuggestionsSummary } from '../../../src-main/api/types/predict';
import { useApi } from '../api/use-api';
import { latestJob } from './latest-job';
import { isFinished, useJobsStore } from './useJobsStore';

/**
 * Pre-labelling for the Label view: the suggest job (found again after a reload), the summary
 * of the stored suggestions, and accepting those above a confidence after a per-class preview.
 */
export const useSuggestionsStore = defineStore('suggestions', () => {
  const jobs = useJobsStore();
  const latest = latestJob('suggest');
  const summary = ref<SuggestionsSummary | null>(null);
  const startError = ref<string | null>(null);
  const starting = ref(false);
  let following = false;

  const error = computed(() => {
    if (startError.value) return startError.value;
    if (latest.cancelError.value) return `Could not cancel: ${latest.cancelError.value}`;
    const job = latest.job.value;
    if (!job || job.status !== 'failed') return null;
    return job.error?.message ?? 'Suggesting labels failed.';
  });

  /** Re-reads how many suggestions there are and from which model. */
  async function refresh(): Promise<void> {
    try {
      summary.value = await useApi().call('suggestions.summary');
    } catch (e) {
      startError.value = e instanceof Error ? e.message : String(e);
    }
  }

  /** Loads the summary, and keeps it fresh as suggestions and labels change (subscribes once). */
  async function follow(): Promise<void> {
    if (!following) {
      following = true;
      useApi().on('library.changed', ({ reason }) => {
        if (reason === 'suggestions' || reason === 'labels' || reason === 'classes' || reason === 'project') void refresh();
      });
      // The job's end is a second cue: a window that missed the change event still updates.
      watch(
        () => latest.job.value && isFinished(latest.job.value),
        (finished) => {
          if (finished) void refresh();
        },
      );
    }
    await refresh();
  }

  /** Runs a model over the project's images as a job (one at a time). */
  async function run(params: SuggestionsRunParams): Promise<void> {
    if (latest.running.value || starting.value) return;
    startError.value = null;
    starting.value = true;
    try {
      const { jobId } = await useApi().call('suggestions.run', params);
      await jobs.track(jobId);
    } catch (e) {
      startError.value = e instanceof Error ? e.message : String(e);
    } finally {
      starting.value = false;
    }
  }

  /** What accepting every pending suggestion at or above `threshold` would label, per class (nothing changes). */
  function previewAbove(threshold: number): Promise<SuggestionsAcceptAboveResult> {
    return useApi().call('suggestions.acceptAbove', { threshold, dryRun: true });
  }

  /** Accepts every pending suggestion at or above `threshold` on unlabelled images: one undo step. */
  function acceptAbove(threshold: number): Promise<SuggestionsAcceptAboveResult> {
    return useApi().call('suggestions.acceptAbove', { threshold, dryRun: false });
  }

  const { job, progress, running, cancelling, result, cancel } = latest;
  return { job, progress, running, cancelling, result, summary, error, starting, follow, refresh, run, previewAbove, acceptAbove, cancel };
});
