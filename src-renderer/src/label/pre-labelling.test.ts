import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import type { ImageQuery } from '../../../src-main/api/types/library';
import { setApiClient } from '../api/use-api';
import { fakeLibrary, type FakeLibrary } from '../test-support/fake-library';
import { fakeSuggestions, type FakeSuggestions } from '../test-support/fake-suggestions';
import { runDetail } from '../test-support/run-fixtures';
import LabelView from '../views/LabelView.vue';

let lib: FakeLibrary;
let sug: FakeSuggestions;
let wrapper: VueWrapper | null = null;

async function mountView(path = '/label') {
  setApiClient(lib.api);
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/label', component: LabelView }] });
  await router.push(path);
  wrapper = mount(LabelView, { global: { plugins: [router] }, attachTo: document.body });
  await flushPromises();
  await sizeGrid(600, 450);
  return wrapper;
}

/**
 * Gives the grid the size a window would (happy-dom lays nothing out, so it measures 0×0 and
 * renders the first three cells only): 4 columns of 150 px, 3 rows in view, all 12 images drawn.
 */
async function sizeGrid(width: number, height: number): Promise<void> {
  const scroller = wrapper!.get('[data-testid="image-grid"]').element;
  Object.defineProperty(scroller, 'clientWidth', { configurable: true, value: width });
  Object.defineProperty(scroller, 'clientHeight', { configurable: true, value: height });
  scroller.dispatchEvent(new Event('scroll'));
  await flushPromises();
}

async function press(key: string, options: KeyboardEventInit = {}): Promise<void> {
  (document.activeElement ?? document.body).dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...options }));
  await flushPromises();
}

const calls = (name: string) => lib.api.calls.filter((c) => c.name === name).map((c) => c.params);
const cell = (index: number) => wrapper!.get(`[data-testid="grid-cell"][data-index="${index}"]`);
const chipOf = (index: number) => cell(index).find('[data-testid="cell-suggestion"]');
const labelOf = (index: number) => cell(index).find('[data-testid="cell-label"]');

beforeEach(() => {
  setActivePinia(createPinia());
  lib = fakeLibrary(12, ['cat', 'dog']);
  const { config: _c, dir: _d, checkpoints: _k, history: _h, batches: _b, cache: _x, splitCounts: _s, evaluations: _e, ...run } = runDetail({ id: 3, name: 'Run 3' });
  sug = fakeSuggestions(lib, [run]);
  sug.suggest(1, 'cat', 0.97);
  sug.suggest(2, 'dog', 0.64);
  sug.suggest(3, 'dog', 0.91);
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  document.body.innerHTML = '';
});

describe('suggestions in the Label view', () => {
  it('shows each suggestion on its tile, apart from labels, and says how many wait and which keys take them', async () => {
    const view = await mountView();
    expect(chipOf(0).text()).toBe('cat? 97%');
    expect(chipOf(1).text()).toBe('dog? 64%');
    expect(chipOf(3).exists()).toBe(false);
    expect(labelOf(0).exists()).toBe(false);
    expect(view.get('[data-testid="suggest-summary"]').text()).toBe('3 suggestions from Run 3 (best) · A accept · X reject');
  });

  it('A accepts the focused suggestion as a label and moves on; Ctrl+Z takes it back; X rejects', async () => {
    const view = await mountView();
    await cell(0).trigger('click');
    await press('a');
    expect(calls('suggestions.accept')).toEqual([{ imageIds: [1] }]);
    expect(labelOf(0).text()).toBe('cat');
    expect(chipOf(0).exists()).toBe(false);
    expect(view.get('[data-testid="label-message"]').text()).toBe('Accepted 1 suggestion');
    // The focus moved on to the second image: A again accepts its suggestion.
    await press('a');
    expect(calls('suggestions.accept').at(-1)).toEqual({ imageIds: [2] });
    expect(labelOf(1).text()).toBe('dog');
    expect(view.get('[data-testid="suggest-summary"]').text()).toContain('1 suggestion from');

    await press('z', { ctrlKey: true });
    expect(calls('labels.undo')).toHaveLength(1);
    expect(labelOf(1).exists()).toBe(false);
    expect(chipOf(1).text()).toBe('dog? 64%');

    await cell(2).trigger('click');
    await press('x');
    expect(calls('suggestions.reject')).toEqual([{ imageIds: [3] }]);
    expect(chipOf(2).exists()).toBe(false);
    expect(labelOf(2).exists()).toBe(false);
    // An image without a suggestion: nothing to accept, and it says so.
    await cell(5).trigger('click');
    await press('a');
    expect(view.get('[data-testid="label-message"]').text()).toBe('This image has no suggestion to accept.');
  });

  it('accepts above a confidence after a per-class preview, with Undo in a toast', async () => {
    const view = await mountView();
    await view.get('[data-testid="accept-above-open"]').trigger('click');
    await flushPromises();
    const dialog = view.get('[data-testid="accept-above"]');
    expect(dialog.element.contains(document.activeElement)).toBe(true);
    expect(calls('suggestions.acceptAbove')).toEqual([{ threshold: 0.9, dryRun: true }]);
    expect(dialog.get('[data-testid="accept-above-preview"]').text()).toMatch(/cat\s*1\s*dog\s*1/);
    // Keys typed in the dialog never label the grid.
    await press('a');
    expect(calls('suggestions.accept')).toEqual([]);
    await dialog.get('[data-testid="accept-above-threshold"]').setValue(95);
    await new Promise((resolve) => setTimeout(resolve, 250));
    await flushPromises();
    expect(calls('suggestions.acceptAbove').at(-1)).toEqual({ threshold: 0.95, dryRun: true });
    expect(dialog.get('[data-testid="accept-above-confirm"]').text()).toBe('Label 1 photo');
    await dialog.trigger('submit');
    await flushPromises();
    expect(calls('suggestions.acceptAbove').at(-1)).toEqual({ threshold: 0.95, dryRun: false });
    expect(view.find('[data-testid="accept-above"]').exists()).toBe(false);
    expect(labelOf(0).text()).toBe('cat');
    expect(labelOf(2).exists()).toBe(false);
    expect(view.get('[data-testid="label-toast"]').text()).toContain('Accepted 1 suggestion at or above 95%');
    await view.get('[data-testid="toast-undo"]').trigger('click');
    await flushPromises();
    expect(calls('labels.undo')).toHaveLength(1);
    expect(labelOf(0).exists()).toBe(false);
    expect(chipOf(0).text()).toBe('cat? 97%');
  });

  it('runs a model over the photos as a job with progress and Cancel', async () => {
    const view = await mountView();
    await view.get('[data-testid="suggest-open"]').trigger('click');
    await view.get('[data-testid="suggest-model"]').setValue('run:3');
    await view.get('[data-testid="suggest-scope"]').setValue('all');
    await view.get('[data-testid="suggest-form"]').trigger('submit');
    await flushPromises();
    expect(calls('suggestions.run')).toEqual([{ runId: 3, scope: 'all' }]);
    sug.jobs.progress<'suggest'>('job-1', { phase: 'images', done: 4, total: 12, perSecond: 8, message: 'Predicting…' });
    await flushPromises();
    expect(view.get('[data-testid="suggestion-bar"]').text()).toContain('4 / 12 photos');
    await view.get('[data-testid="suggest-cancel"]').trigger('click');
    expect(calls('jobs.cancel')).toEqual([{ jobId: 'job-1' }]);
    sug.suggest(4, 'cat', 0.55);
    sug.jobs.finish<'suggest'>('job-1', { source: { kind: 'run', runId: 3, runName: 'Run 3', checkpoint: 'best' }, images: 12, suggested: 4, perClass: { cat: 2, dog: 2 }, unreadable: [], seconds: 1.5, runtime: 'onnx' });
    lib.api.emit('library.changed', { reason: 'suggestions' });
    await flushPromises();
    expect(view.get('[data-testid="suggest-summary"]').text()).toContain('4 suggestions');
    expect(chipOf(3).text()).toBe('cat? 55%');
  });

  it('orders by uncertainty or shows likely label errors from the toolbar, with the score on each tile', async () => {
    const list = lib.api.handlers['library.list']!;
    lib.api.handlers['library.list'] = (query: ImageQuery) => {
      const page = list(query) as Awaited<ReturnType<typeof list>>;
      if (!query.orderBy && !query.likelyErrors) return page;
      return { ...page, items: page.items.map((item) => ({ ...item, model: { className: 'dog', score: item.id / 100 } })) };
    };
    const view = await mountView();
    await view.get('[data-testid="filter-queue"]').setValue('margin');
    await flushPromises();
    expect(calls('library.list').at(-1)).toMatchObject({ orderBy: 'uncertainty', uncertainty: 'margin' });
    expect(calls('library.list').at(-1)).not.toHaveProperty('unlabelled');
    expect(cell(0).get('[data-testid="cell-model-score"]').text()).toBe('margin 0.01');
    // Choosing a class in the sidebar leaves the uncertainty queue (it shows only unlabelled images).
    await view.get('[data-testid="class-cat"] .row').trigger('click');
    await flushPromises();
    expect(calls('library.list').at(-1)).toMatchObject({ classId: 100 });
    expect(calls('library.list').at(-1)).not.toHaveProperty('orderBy');
    expect((view.get('[data-testid="filter-queue"]').element as HTMLSelectElement).value).toBe('');

    await view.get('[data-testid="filter-queue"]').setValue('likely-errors');
    await flushPromises();
    expect(calls('library.list').at(-1)).toMatchObject({ classId: 100, likelyErrors: true });
    expect(view.get('[data-testid="empty-state"]').text()).toContain('No likely label errors.');
  });

  it('opens on a queue from a link, and lists A and X in the ? overlay', async () => {
    const view = await mountView('/label?queue=entropy');
    expect(calls('library.list').at(-1)).toMatchObject({ orderBy: 'uncertainty', uncertainty: 'entropy' });
    await press('?', { shiftKey: true });
    const overlay = view.get('[data-testid="shortcut-overlay"]');
    expect(overlay.text()).toContain('Accept the model’s suggestion');
    expect(overlay.text()).toContain('Reject the model’s suggestion');
  });
});
