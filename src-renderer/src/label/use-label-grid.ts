import { reactive, ref, shallowRef } from 'vue';
import type { ClassInfo, ImageListItem, UndoState } from '../../../src-main/api/types/library';
import type { ApiClient } from '../api/api-client';
import { countOf } from '../components/plural';
import { classForKey } from './class-search';
import { GridSelection } from './grid-selection';
import { queryFor, type GridFilter } from './image-filter';
import type { LabelAction } from './label-keys';
import { useLabelFeedback } from './label-feedback';
import { PagedList } from './paged-images';

/** The actions the grid itself carries out (the view opens pickers, menus and overlays). */
export type GridAction = Exclude<
  LabelAction,
  { kind: 'pick-class' | 'tile-menu' | 'shortcuts' | 'find' | 'zoom' | 'zoom-fit' | 'full-resolution' | 'accept-suggestion' | 'reject-suggestion' }
>;

/** Where the grid reads the classes: the current list, and a way to re-read it. */
export interface ClassSource {
  list(): readonly ClassInfo[];
  refresh(): Promise<void>;
}

const CHANGES_LABELS: ReadonlySet<GridAction['kind']> = new Set(['assign', 'assign-class', 'unlabel', 'undo', 'redo']);

/**
 * The labelling grid's state and actions: the filtered list, selection, focus, and what
 * each hotkey does. Views only render it; every change goes through the contract.
 */
export function useLabelGrid(api: ApiClient, classes: ClassSource) {
  const filter = ref<GridFilter>({ label: { kind: 'all' }, split: 'any', name: '' });
  const version = ref(0);
  const columns = ref(1);
  const range = ref<[number, number]>([0, 0]);
  /** How many cells one screen shows: a change to more images than this gets a toast with Undo. */
  const screenful = ref(24);
  const viewerOpen = ref(false);
  const autoAdvance = ref(true);
  const undo = ref<UndoState | null>(null);
  const feedback = useLabelFeedback();
  const { message, error, toast } = feedback;

  const fetchPage = (offset: number, limit: number) => api.call('library.list', { ...queryFor(filter.value), offset, limit });
  const list = shallowRef(new PagedList<ImageListItem>(fetchPage, 200, () => version.value++));
  const selection = reactive(
    new GridSelection((from, to) => api.call('library.ids', { ...queryFor(filter.value), offset: from, limit: to - from + 1 })),
  );

  const focusedItem = () => list.value.at(selection.focus);

  async function guard(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (e) {
      error.value = (e as Error).message;
    }
  }

  /** Re-reads what is on screen after the library changed (labels, classes, import). */
  async function refresh(): Promise<void> {
    await list.value.refresh(...range.value);
    selection.clampTo(list.value.total);
    await list.value.ensure(selection.focus, selection.focus);
    // A single selection follows the focus ring: after undo brings an image back under the
    // ring, the next hotkey must label that image, not the one selected before.
    if (selection.selected.size <= 1) {
      const id = list.value.at(selection.focus)?.id;
      selection.selected = new Set(id === undefined ? [] : [id]);
    }
    undo.value = await api.call('labels.undoState');
    feedback.libraryChanged(undo.value.undoSummary);
  }

  /** Applies a new filter: fresh list from the top, selection cleared. */
  async function setFilter(next: GridFilter): Promise<void> {
    filter.value = next;
    selection.clear();
    selection.focus = 0;
    selection.anchor = 0;
    await guard(() => list.value.reset());
  }

  /** The class a digit key labels with; a class added a moment ago may not be in the list yet. */
  async function classWithKey(key: number): Promise<ClassInfo | null> {
    const found = classForKey(classes.list(), key);
    if (found) return found;
    await classes.refresh();
    return classForKey(classes.list(), key);
  }

  async function label(target: ClassInfo | null): Promise<void> {
    const focused = focusedItem();
    const targets = selection.targets(focused?.id ?? null);
    if (targets.length === 0) return;
    await guard(async () => {
      const result = target === null
        ? await api.call('labels.remove', { imageIds: targets })
        : await api.call('labels.assign', { imageIds: targets, classId: target.id });
      undo.value = result.undo;
      const text = target === null ? `Removed the label of ${countOf(targets.length, 'image')}` : `Labelled ${countOf(targets.length, 'image')} as “${target.name}”`;
      feedback.say(text);
      // More than a screenful changed: much of it is out of sight, so say so where Undo is one click away.
      if (targets.length > screenful.value) toast.value = { text, undoSummary: result.undo.undoSummary };
      await list.value.refresh(...range.value);
      // One image labelled: move on, unless it left the filter and the next one slid into its place.
      const single = targets.length === 1 && selection.selected.size <= 1;
      if (single && autoAdvance.value && list.value.at(selection.focus)?.id === focused?.id) await move(1, 0, false);
      else await moveTo(Math.min(selection.focus, Math.max(0, list.value.total - 1)), false);
    });
  }

  async function labelWithKey(key: number): Promise<void> {
    const target = await classWithKey(key);
    if (target) return label(target);
    feedback.say(`No class has key ${key}. Give a class that key in its ⋯ menu, or press C to pick any class.`, { aboutClasses: true });
  }

  async function labelWithClass(classId: number): Promise<void> {
    let target = classes.list().find((c) => c.id === classId);
    if (!target) {
      await classes.refresh();
      target = classes.list().find((c) => c.id === classId);
    }
    if (target) return label(target);
    feedback.say('That class no longer exists; it may have been merged or deleted.', { aboutClasses: true });
  }

  async function moveTo(index: number, extend: boolean): Promise<void> {
    const total = list.value.total;
    if (total === 0) return;
    const clamped = Math.max(0, Math.min(total - 1, index));
    await list.value.ensure(clamped, clamped);
    await selection.moveTo(clamped, list.value.at(clamped)?.id ?? null, { shift: extend });
  }

  async function move(dx: number, dy: number, extend: boolean, keep = false): Promise<void> {
    const step = viewerOpen.value ? dx + dy : dx + dy * columns.value;
    if (!keep) return moveTo(selection.focus + step, extend);
    const index = Math.max(0, Math.min(list.value.total - 1, selection.focus + step));
    await selection.moveTo(index, list.value.at(index)?.id ?? null, { ctrl: true });
  }

  async function history(kind: 'labels.undo' | 'labels.redo'): Promise<void> {
    await guard(async () => {
      const result = await api.call(kind);
      feedback.say(result ? `${kind === 'labels.undo' ? 'Undid' : 'Redid'}: ${result.summary}` : `Nothing to ${kind === 'labels.undo' ? 'undo' : 'redo'}`);
      await refresh();
    });
  }

  // Key presses arrive faster than the database answers: actions run one after another, in
  // order, so "1 2 3" labels three consecutive images rather than racing on the first.
  let queue: Promise<void> = Promise.resolve();

  function enqueue(work: () => Promise<void>): Promise<void> {
    queue = queue.then(work).catch((e: unknown) => {
      error.value = (e as Error).message;
    });
    return queue;
  }

  /** Runs the action a hotkey, menu or button asked for, after every earlier one has finished. */
  function perform(action: GridAction): Promise<void> {
    return enqueue(() => {
      feedback.actionStarted();
      if (CHANGES_LABELS.has(action.kind)) toast.value = null;
      return run(action);
    });
  }

  async function run(action: GridAction): Promise<void> {
    const page = Math.max(1, Math.floor((range.value[1] - range.value[0]) / columns.value / 2)) * columns.value;
    switch (action.kind) {
      case 'assign': return labelWithKey(action.key);
      case 'assign-class': return labelWithClass(action.classId);
      case 'unlabel': return label(null);
      case 'move': return move(action.dx, action.dy, action.extend, action.keep);
      case 'toggle': {
        const id = focusedItem()?.id;
        if (id !== undefined) selection.toggle(id);
        return;
      }
      case 'home': return moveTo(0, action.extend);
      case 'end': return moveTo(list.value.total - 1, action.extend);
      case 'page': return moveTo(selection.focus + action.direction * page, action.extend);
      case 'select-all': return guard(() => selection.selectAll(list.value.total));
      case 'clear-selection': selection.clear(); return;
      case 'undo': return history('labels.undo');
      case 'redo': return history('labels.redo');
      case 'open': viewerOpen.value = list.value.total > 0; return;
      case 'close':
        if (viewerOpen.value) viewerOpen.value = false;
        else selection.clear();
        return;
    }
  }

  /** Mouse click on a cell: plain, Shift-range or Ctrl-toggle. */
  function click(index: number, item: ImageListItem, event: { shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }): Promise<void> {
    return enqueue(() => selection.click(index, item.id, { shift: event.shiftKey, ctrl: event.ctrlKey || event.metaKey }));
  }

  /** Right-click on a cell: an image outside the selection becomes the selection; one inside keeps it. */
  function contextClick(index: number, item: ImageListItem): Promise<void> {
    return enqueue(async () => {
      if (!selection.selected.has(item.id)) await selection.click(index, item.id);
      else selection.focus = index;
    });
  }

  /** Puts the selected images into one split (pinned) or unpins them. */
  function pin(split: 'train' | 'validation' | 'test' | null): Promise<void> {
    return enqueue(async () => {
      feedback.actionStarted();
      const targets = selection.targets(focusedItem()?.id ?? null);
      if (targets.length === 0) return;
      await guard(async () => {
        const result = await api.call('splits.pin', { imageIds: targets, split });
        feedback.say(split ? `Pinned ${countOf(result.changed, 'image')} to ${split}` : `Unpinned ${countOf(result.changed, 'image')}`);
        await list.value.refresh(...range.value);
      });
    });
  }

  /** How many images the next label would change: the selection, or the focused image. */
  const targetCount = () => selection.targets(focusedItem()?.id ?? null).length;

  return {
    filter, list, version, columns, range, screenful, selection, viewerOpen, autoAdvance, message, error, toast, undo,
    focusedItem, targetCount, setFilter, refresh, perform, enqueue, click, contextClick, pin, moveTo, say: feedback.say,
  };
}
