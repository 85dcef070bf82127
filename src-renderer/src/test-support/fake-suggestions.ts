import type { Suggestion, SuggestionsRunParams } from '../../../src-main/api/types/predict';
import type { RunSummary } from '../../../src-main/api/types/runs';
import type { FakeLibrary } from './fake-library';
import { fakeJobs, type FakeJobs } from './fake-jobs';

/** Suggestions behind a fake library: the test puts them in; accept labels through the library (so undo works), reject marks them. */
export interface FakeSuggestions {
  byImage: Map<number, Suggestion>;
  jobs: FakeJobs;
  /** Stores a pending suggestion of `className` (a class of the library) at `probability` for an image. */
  suggest(imageId: number, className: string, probability: number): void;
  runs: RunSummary[];
}

/** Installs the suggestion requests (and runs.list, models.imported, jobs) on a fake library. */
export function fakeSuggestions(lib: FakeLibrary, runs: RunSummary[] = []): FakeSuggestions {
  const byImage = new Map<number, Suggestion>();
  const api = lib.api;
  const jobs = fakeJobs(api);
  const source = { kind: 'run', runId: 3, runName: 'Run 3', checkpoint: 'best' } as const;
  const pending = () => [...byImage.values()].filter((s) => s.status === 'pending' && !lib.labels.has(s.imageId));
  const withLabel = (s: Suggestion): Suggestion => ({ ...s, labelled: lib.labels.has(s.imageId) });

  /** Accepts through labels.assign, one class at a time, so the library's own undo takes the last step back. */
  function accept(ids: readonly number[]) {
    const chosen = ids.map((id) => byImage.get(id)).filter((s): s is Suggestion => s !== undefined && s.status === 'pending' && s.classId !== null);
    const byClass = new Map<number, number[]>();
    for (const s of chosen) byClass.set(s.classId!, [...(byClass.get(s.classId!) ?? []), s.imageId]);
    let undo = api.handlers['labels.undoState']!(undefined) as ReturnType<NonNullable<typeof api.handlers['labels.undoState']>>;
    for (const [classId, imageIds] of byClass) undo = (api.handlers['labels.assign']!({ imageIds, classId }) as { undo: typeof undo }).undo;
    if (chosen.length > 0) api.emit('library.changed', { reason: 'labels' });
    return { accepted: chosen.length, skipped: ids.length - chosen.length, undo: undo as never };
  }

  api.handlers['runs.list'] = () => runs;
  api.handlers['models.imported'] = () => [];
  api.handlers['suggestions.list'] = ({ imageIds }) => imageIds.flatMap((id) => (byImage.has(id) ? [withLabel(byImage.get(id)!)] : []));
  api.handlers['suggestions.summary'] = () => {
    const perClass: Record<string, number> = {};
    for (const s of pending()) perClass[s.className] = (perClass[s.className] ?? 0) + 1;
    return { pending: pending().length, rejected: [...byImage.values()].filter((s) => s.status === 'rejected').length, perClass, source: byImage.size ? source : null, createdAt: null };
  };
  api.handlers['suggestions.accept'] = ({ imageIds }) => accept(imageIds);
  api.handlers['suggestions.reject'] = ({ imageIds }) => {
    let rejected = 0;
    for (const id of imageIds) {
      const s = byImage.get(id);
      if (s && s.status === 'pending') {
        byImage.set(id, { ...s, status: 'rejected' });
        rejected++;
      }
    }
    if (rejected > 0) api.emit('library.changed', { reason: 'suggestions' });
    return { rejected };
  };
  api.handlers['suggestions.acceptAbove'] = ({ threshold, dryRun }) => {
    const above = pending().filter((s) => s.probability >= threshold);
    const perClass = [...new Set(above.map((s) => s.className))].map((className) => ({
      className,
      classId: above.find((s) => s.className === className)!.classId,
      count: above.filter((s) => s.className === className).length,
    }));
    return { dryRun: dryRun ?? false, threshold, perClass, total: above.length, accepted: dryRun ? null : accept(above.map((s) => s.imageId)) };
  };
  api.handlers['suggestions.run'] = (params: SuggestionsRunParams) => ({ jobId: jobs.start('suggest', params, 'Suggest labels') });

  return {
    byImage,
    jobs,
    runs,
    suggest(imageId, className, probability) {
      const cls = lib.classes.find((c) => c.name === className);
      byImage.set(imageId, {
        imageId,
        className,
        classId: cls?.id ?? null,
        probability,
        margin: 2 * probability - 1,
        entropy: 0.3,
        status: 'pending',
        labelled: false,
        source,
        createdAt: '2026-01-05T00:00:00.000Z',
      });
    },
  };
}
