import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { setApiClient } from '../api/use-api';
import { SHORTCUTS } from '../label/label-keys';
import { fakeLibrary, type FakeLibrary } from '../test-support/fake-library';
import LabelView from './LabelView.vue';

let lib: FakeLibrary;
let wrapper: VueWrapper | null = null;

const TEN = ['cat', 'dog', 'bird', 'fish', 'frog', 'horse', 'mouse', 'owl', 'snake', 'zebra finch'];

async function mountView(count = 30, classes: readonly string[] = TEN) {
  lib = fakeLibrary(count, classes);
  setApiClient(lib.api);
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/label', component: LabelView }] });
  await router.push('/label');
  wrapper = mount(LabelView, { global: { plugins: [router] }, attachTo: document.body });
  await flushPromises();
  return wrapper;
}

/** A key press as the browser sends it: to whatever has focus, bubbling up to the window. */
async function press(key: string, options: KeyboardEventInit = {}): Promise<KeyboardEvent> {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...options });
  (document.activeElement ?? document.body).dispatchEvent(event);
  await flushPromises();
  return event;
}

const calls = (name: string) => lib.api.calls.filter((c) => c.name === name);
const cell = (index: number) => wrapper!.get(`[data-testid="grid-cell"][data-index="${index}"]`);

beforeEach(() => setActivePinia(createPinia()));
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  document.body.innerHTML = '';
});

describe('LabelView focus', () => {
  it('focuses the rename field as it opens; Ctrl+A, Enter and digits typed there never reach the grid', async () => {
    const view = await mountView();
    await cell(0).trigger('click');
    await view.get('[data-testid="class-cat"] [data-testid="class-more"]').trigger('click');
    await flushPromises();
    const menu = view.get('[data-testid="class-menu"]');
    expect(menu.element.contains(document.activeElement)).toBe(true);
    // While the menu is open every key is its own.
    await press('2');
    await view.get('[data-testid="class-menu-rename"]').trigger('click');
    await flushPromises();
    const field = view.get('[data-testid="class-rename-input"]');
    expect(document.activeElement).toBe(field.element);
    await press('a', { ctrlKey: true });
    await press('v');
    await press('2');
    await press('Enter');
    expect(calls('labels.assign')).toHaveLength(0);
    expect(calls('library.ids')).toHaveLength(0);
    expect(view.find('[data-testid="image-viewer"]').exists()).toBe(false);
    expect(view.find('[data-testid="selected-count"]').text()).toBe('· 1 selected');
  });

  it('gives the confirm dialog the keyboard, and the grid gets it back when the dialog closes', async () => {
    const view = await mountView();
    await view.get('[data-testid="class-dog"] [data-testid="class-more"]').trigger('click');
    await flushPromises();
    await view.get('.danger-text').trigger('click');
    await flushPromises();
    const dialog = view.get('[data-testid="confirm-dialog"]');
    expect(document.activeElement).toBe(view.get('[data-testid="confirm-ok"]').element);
    await press('1');
    expect(calls('labels.assign')).toHaveLength(0);
    await dialog.trigger('keydown', { key: 'Escape' });
    await flushPromises();
    expect(view.find('[data-testid="confirm-dialog"]').exists()).toBe(false);
    await cell(2).trigger('click');
    await press('1');
    expect(calls('labels.assign').at(-1)?.params).toEqual({ imageIds: [3], classId: 100 });
  });
});

describe('LabelView classes', () => {
  it('labels a tenth class, which has no key, through the class picker', async () => {
    const view = await mountView();
    expect(view.get('[data-testid="class-zebra finch"] [data-testid="class-hotkey"]').text()).toBe('·');
    await cell(1).trigger('click');
    await press('c');
    const input = view.get('[data-testid="class-picker-input"]');
    expect(document.activeElement).toBe(input.element);
    // "c" opened the picker; it must not be typed into it.
    expect((input.element as HTMLInputElement).value).toBe('');
    await input.setValue('zeb');
    expect(view.findAll('[data-testid="class-picker-row"]').map((r) => r.text())).toEqual([expect.stringContaining('zebra finch') as string, expect.stringContaining('Create class') as string]);
    await press('Enter');
    expect(calls('labels.assign').at(-1)?.params).toEqual({ imageIds: [2], classId: 109 });
    expect(view.find('[data-testid="class-picker"]').exists()).toBe(false);
    expect(view.get('[data-testid="label-message"]').text()).toBe('Labelled 1 image as “zebra finch”');
  });

  it('labels from the right-click menu of a tile, and with the key a class holds', async () => {
    const view = await mountView();
    await cell(2).trigger('contextmenu', { clientX: 50, clientY: 60 });
    await flushPromises();
    const menu = view.get('[data-testid="tile-menu"]');
    expect(menu.text()).toContain('photo-3.jpg');
    expect(menu.findAll('[data-testid="tile-menu-class"]')).toHaveLength(10);
    await menu.findAll('[data-testid="tile-menu-class"]')[9]!.trigger('click');
    await flushPromises();
    expect(calls('labels.assign').at(-1)?.params).toEqual({ imageIds: [3], classId: 109 });
    expect(view.find('[data-testid="tile-menu"]').exists()).toBe(false);
    // Give "zebra finch" key 3: "bird" hands it over, and 3 now labels with zebra finch.
    await view.get('[data-testid="class-zebra finch"] [data-testid="class-hotkey"]').trigger('click');
    await flushPromises();
    await view.get('[data-testid="class-menu-hotkey"]').setValue('3');
    await flushPromises();
    expect(calls('classes.setHotkey').at(-1)?.params).toEqual({ classId: 109, hotkey: 3 });
    await cell(0).trigger('click');
    await press('3');
    expect(calls('labels.assign').at(-1)?.params).toEqual({ imageIds: [1], classId: 109 });
  });

  it('shows a toast with Undo when a key changed more than a screenful', async () => {
    const view = await mountView(60);
    await cell(0).trigger('click');
    await press('a', { ctrlKey: true });
    expect(view.get('[data-testid="selected-count"]').text()).toBe('· 60 selected');
    await press('2');
    const toast = view.get('[data-testid="label-toast"]');
    expect(toast.text()).toContain('Labelled 60 images as “dog”');
    await toast.get('[data-testid="toast-undo"]').trigger('click');
    await flushPromises();
    expect(calls('labels.undo')).toHaveLength(1);
    expect(view.find('[data-testid="label-toast"]').exists()).toBe(false);
  });
});

describe('LabelView filter and help', () => {
  it('applies the name filter while typing, once typing pauses', async () => {
    const view = await mountView();
    const before = calls('library.list').length;
    const field = view.get('[data-testid="filter-name"]');
    (field.element as HTMLInputElement).focus();
    await field.setValue('photo-1');
    expect(calls('library.list')).toHaveLength(before);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await flushPromises();
    expect(calls('library.list').at(-1)?.params).toMatchObject({ nameContains: 'photo-1' });
    expect(view.get('[data-testid="grid-total"]').text()).toBe('11 images');
    await field.setValue('photo-30');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await flushPromises();
    expect(view.get('[data-testid="grid-total"]').text()).toBe('1 image');
    await field.setValue('nothing');
    await field.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(view.get('[data-testid="empty-state"]').text()).toContain('No file name contains “nothing”');
  });

  it('lists every shortcut of the key table in the ? overlay, and Esc closes it', async () => {
    const view = await mountView();
    await press('?', { shiftKey: true });
    const overlay = view.get('[data-testid="shortcut-overlay"]');
    for (const shortcut of SHORTCUTS) expect(overlay.text()).toContain(shortcut.description);
    expect(overlay.text()).toContain('9 snake');
    expect(overlay.text()).toContain('One class has no key: press C');
    expect(overlay.element.contains(document.activeElement)).toBe(true);
    await press('Escape');
    expect(view.find('[data-testid="shortcut-overlay"]').exists()).toBe(false);
  });

  it('says which case an empty grid is', async () => {
    const view = await mountView(0, []);
    expect(view.get('[data-testid="empty-state"]').text()).toContain('This project has no photos yet.');
    expect(view.get('[data-testid="grid-total"]').text()).toBe('0 images');
  });
});
