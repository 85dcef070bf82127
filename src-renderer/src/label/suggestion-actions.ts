import type { ApiClient } from '../api/api-client';
import { countOf } from '../components/plural';
import type { useLabelGrid } from './use-label-grid';

type Grid = ReturnType<typeof useLabelGrid>;

/**
 * The two suggestion keys of the Label view: accept (the suggested class becomes the label of
 * each targeted image, one undo step) and reject (the suggestion is dismissed). They queue
 * behind earlier key presses like labelling does, and a single image moves on afterwards.
 */
export function suggestionActions(api: ApiClient, grid: Grid, afterChange: () => Promise<void>) {
  /** The selection, or the focused image; and whether the focus should move on afterwards. */
  function targets(): { ids: number[]; focusedId: number | null; single: boolean } {
    const focusedId = grid.focusedItem()?.id ?? null;
    const ids = grid.selection.targets(focusedId);
    return { ids, focusedId, single: ids.length === 1 && grid.selection.selected.size <= 1 };
  }

  /** After a change: refresh the page, then step to the next image when one image changed and it is still under the focus. */
  async function moveOn(focusedId: number | null, single: boolean): Promise<void> {
    await grid.list.value.refresh(...grid.range.value);
    await afterChange();
    const total = grid.list.value.total;
    if (single && grid.autoAdvance.value && grid.list.value.at(grid.selection.focus)?.id === focusedId) await grid.moveTo(grid.selection.focus + 1, false);
    else await grid.moveTo(Math.min(grid.selection.focus, Math.max(0, total - 1)), false);
  }

  /** Accepts the suggestions of the targeted images. */
  function accept(): Promise<void> {
    return grid.enqueue(async () => {
      const { ids, focusedId, single } = targets();
      if (ids.length === 0) return;
      grid.toast.value = null;
      const result = await api.call('suggestions.accept', { imageIds: ids });
      grid.undo.value = result.undo;
      if (result.accepted === 0) {
        grid.say(ids.length === 1 ? 'This image has no suggestion to accept.' : `None of the ${ids.length} images has a suggestion to accept.`);
        return;
      }
      const skipped = result.skipped > 0 ? ` (${countOf(result.skipped, 'image')} without one left as they were)` : '';
      const text = `Accepted ${countOf(result.accepted, 'suggestion')}${skipped}`;
      grid.say(text);
      if (result.accepted > grid.screenful.value) grid.toast.value = { text, undoSummary: result.undo.undoSummary };
      await moveOn(focusedId, single);
    });
  }

  /** Rejects the suggestions of the targeted images. */
  function reject(): Promise<void> {
    return grid.enqueue(async () => {
      const { ids, focusedId, single } = targets();
      if (ids.length === 0) return;
      const { rejected } = await api.call('suggestions.reject', { imageIds: ids });
      grid.say(rejected === 0 ? 'No suggestion to reject here.' : `Rejected ${countOf(rejected, 'suggestion')}`);
      if (rejected > 0) await moveOn(focusedId, single);
    });
  }

  return { accept, reject };
}
