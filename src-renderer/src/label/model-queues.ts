import type { ImageQuery, ImageRow } from '../../../src-main/api/types/library';
import type { EmptyState } from './empty-state';
import type { GridFilter } from './image-filter';

/**
 * The Label view's model-based queues: unlabelled images the model is least sure of ("most
 * useful to label next", by the margin between its top two classes or by entropy), and labelled
 * images whose label it strongly disagrees with ("likely label errors").
 */
export type ModelQueue = 'margin' | 'entropy' | 'likely-errors';

/**
 * The queues as the toolbar offers them ('' = the plain file order): a short label, so the
 * toolbar keeps one row, and the full name with what it lists as the tooltip.
 */
export const QUEUE_CHOICES: readonly { value: ModelQueue | ''; label: string; title: string }[] = [
  { value: '', label: 'File order', title: 'File order: the photos by their path, no model queue' },
  { value: 'margin', label: 'Next: margin', title: 'Most useful to label next (margin): unlabelled photos whose top two suggested classes are closest first' },
  { value: 'entropy', label: 'Next: entropy', title: 'Most useful to label next (entropy): unlabelled photos the model spreads its probability over most first' },
  { value: 'likely-errors', label: 'Likely errors', title: 'Likely label errors: labelled photos a model is at least 4:1 against, highest loss first' },
];

/** The tooltip of the queue a filter has on (the file order when none). */
export function queueTitle(queue: ModelQueue | undefined): string {
  return (QUEUE_CHOICES.find((q) => q.value === (queue ?? '')) ?? QUEUE_CHOICES[0]!).title;
}

/** Whether a value names a queue. */
export function isModelQueue(value: unknown): value is ModelQueue {
  return value === 'margin' || value === 'entropy' || value === 'likely-errors';
}

/** The library query of a queue over the grid's query: the uncertainty order shows only unlabelled images, likely errors only labelled ones. */
export function applyQueue(query: ImageQuery, queue: ModelQueue | undefined): ImageQuery {
  if (!queue) return query;
  const { classId, unlabelled: _unlabelled, ...rest } = query;
  if (queue === 'likely-errors') return { ...rest, ...(classId === undefined ? {} : { classId }), likelyErrors: true };
  return { ...rest, orderBy: 'uncertainty', uncertainty: queue };
}

/**
 * A filter change with the queue kept consistent: choosing "most useful to label next" shows
 * the unlabelled images, choosing likely errors leaves "unlabelled", and choosing a class or
 * "all" in the sidebar while the uncertainty queue is on goes back to the file order.
 */
export function patchFilter(current: GridFilter, patch: Partial<GridFilter>): GridFilter {
  const next: GridFilter = { ...current, ...patch };
  if ('queue' in patch) {
    if (next.queue === 'margin' || next.queue === 'entropy') next.label = { kind: 'unlabelled' };
    else if (next.queue === 'likely-errors' && next.label.kind === 'unlabelled') next.label = { kind: 'all' };
  } else if (patch.label) {
    const uncertainty = next.queue === 'margin' || next.queue === 'entropy';
    if ((uncertainty && next.label.kind !== 'unlabelled') || (next.queue === 'likely-errors' && next.label.kind === 'unlabelled')) delete next.queue;
  }
  if (!next.queue) delete next.queue;
  return next;
}

/** What an empty queue says (the name and split filters say their own, so only a plain queue comes here), or null when no queue is on. */
export function queueEmptyState(filter: GridFilter): EmptyState | null {
  if (!filter.queue || filter.name.trim() || filter.split !== 'any') return null;
  if (filter.queue === 'likely-errors') {
    return {
      title: 'No likely label errors.',
      hint: 'A label shows here when a trained model is at least 4:1 against it: evaluate a run, or suggest labels with the scope “all images”.',
      canClearFilter: true,
    };
  }
  return {
    title: 'No unlabelled photo has a suggestion yet.',
    hint: 'Suggest labels with a trained model first: the photos it is least sure of then come first here.',
    canClearFilter: true,
  };
}

/** The model's word on a tile under a queue: the class it names and the score the queue sorts by. */
export function queueScoreText(queue: ModelQueue | undefined, model: ImageRow['model']): string | null {
  if (!queue || !model) return null;
  if (queue === 'likely-errors') return `model says ${model.className} · loss ${model.score.toFixed(2)}`;
  return queue === 'margin' ? `margin ${model.score.toFixed(2)}` : `entropy ${model.score.toFixed(2)}`;
}
