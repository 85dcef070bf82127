import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FolderBrowseParams, FolderListing } from '../../../src-main/api/types/folder-browser';
import { ApiCallError } from '../api/api-client';
import { setApiClient } from '../api/use-api';
import { useAppStore } from '../stores/useAppStore';
import { fakeApi, type FakeApi } from '../test-support/fake-api';
import { fakeJobs } from '../test-support/fake-jobs';
import FolderBrowserDialog from './FolderBrowserDialog.vue';
import ImportPanel from './ImportPanel.vue';

const folder = (name: string, over: Partial<FolderListing['folders'][number]> = {}) => ({ name, kind: 'folder' as const, path: `/home/ann/${name}`, note: null, images: 0, ...over });

const listings: Record<string, FolderListing> = {
  '/home/ann': {
    path: '/home/ann',
    parent: '/home',
    home: '/home/ann',
    folders: [
      folder('Pictures', { images: 3 }),
      folder('elsewhere', { kind: 'link', path: null, note: 'links to /mnt/data, outside this folder', images: null }),
      folder('private', { path: null, note: 'You may not read /home/ann/private: the server runs as ann, who has no permission to list it.', images: null }),
    ],
    images: 0,
    hidden: 2,
    truncated: false,
    recent: [{ path: '/srv/photos/holiday', importedAt: '2026-01-01T00:00:00Z', exists: true }],
  },
  '/home/ann/Pictures': { path: '/home/ann/Pictures', parent: '/home/ann', home: '/home/ann', folders: [], images: 3, hidden: 0, truncated: false, recent: [] },
};

let api: FakeApi;

beforeEach(() => {
  setActivePinia(createPinia());
  document.body.innerHTML = '';
  api = fakeApi({
    'library.browse': (params: FolderBrowseParams) => {
      const listing = listings[params.path ?? '/home/ann'];
      if (!listing) throw new ApiCallError({ code: 'io', message: `You may not read ${params.path}: the server runs as ann, who has no permission to list it.` });
      return listing;
    },
  });
  setApiClient(api);
});

const browseCalls = () => api.calls.filter((c) => c.name === 'library.browse').map((c) => c.params);

describe('FolderBrowserDialog', () => {
  it('opens at home with focus in the path field, lists folders with photo counts, links and refusals, and imports before', async () => {
    const wrapper = mount(FolderBrowserDialog, { attachTo: document.body });
    await flushPromises();
    expect(browseCalls()).toEqual([{ showHidden: false }]);
    expect(document.activeElement).toBe(wrapper.get('[data-testid="browse-path"]').element);
    expect((wrapper.get('[data-testid="browse-path"]').element as HTMLInputElement).value).toBe('/home/ann');
    const entries = wrapper.findAll('[data-testid="browse-folder"]');
    expect(entries.map((e) => [e.get('.name').text(), e.find('.tag').exists(), e.get('.count').text()])).toEqual([
      ['Pictures', false, '3 photos'],
      ['elsewhere', true, 'links to /mnt/data, outside this folder'],
      ['private', false, 'You may not read /home/ann/private: the server runs as ann, who has no permission to list it.'],
    ]);
    expect(entries[1]!.attributes('disabled')).toBeDefined();
    expect(entries[2]!.attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="browse-recent"]').text()).toBe('/srv/photos/holiday');
    expect(wrapper.get('[data-testid="folder-browser"]').attributes('data-keyboard-layer')).toBe('');
  });

  it('enters a folder, keeps focus inside the dialog, and chooses the folder listed', async () => {
    const wrapper = mount(FolderBrowserDialog, { attachTo: document.body });
    await flushPromises();
    const pictures = wrapper.findAll('[data-testid="browse-folder"]')[0]!;
    (pictures.element as HTMLElement).focus();
    await pictures.trigger('click');
    await flushPromises();
    expect(browseCalls()[1]).toEqual({ path: '/home/ann/Pictures', showHidden: false });
    expect(wrapper.get('[data-testid="browse-summary"]').text()).toContain('3 photos directly in this folder');
    expect(wrapper.get('[data-testid="folder-browser"]').element.contains(document.activeElement)).toBe(true);
    await wrapper.get('[data-testid="browse-choose"]').trigger('click');
    expect(wrapper.emitted('choose')).toEqual([['/home/ann/Pictures']]);
  });

  it('shows why a typed folder cannot be read and keeps the listing', async () => {
    const wrapper = mount(FolderBrowserDialog, { attachTo: document.body });
    await flushPromises();
    await wrapper.get('[data-testid="browse-path"]').setValue('/root');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid="browse-error"]').text()).toBe('You may not read /root: the server runs as ann, who has no permission to list it.');
    expect(wrapper.findAll('[data-testid="browse-folder"]')).toHaveLength(3);
    await wrapper.get('[data-testid="browse-choose"]').trigger('click');
    expect(wrapper.emitted('choose')).toEqual([['/home/ann']]);
  });

  it('keeps Tab inside and closes on Escape', async () => {
    const wrapper = mount(FolderBrowserDialog, { attachTo: document.body });
    await flushPromises();
    const choose = wrapper.get('[data-testid="browse-choose"]').element as HTMLElement;
    choose.focus();
    await wrapper.get('[data-testid="folder-browser"]').trigger('keydown', { key: 'Tab' });
    expect(wrapper.get('[data-testid="folder-browser"]').element.contains(document.activeElement)).toBe(true);
    expect(document.activeElement).not.toBe(choose);
    await wrapper.get('[data-testid="browse-path"]').trigger('keydown', { key: 'Escape' });
    expect(wrapper.emitted('cancel')).toHaveLength(1);
  });
});

describe('the import form in a browser', () => {
  it('offers Browse… instead of the native dialog, and fills the folder with the choice', async () => {
    fakeJobs(api);
    useAppStore().info = { version: '0.1.0', mode: 'serve', canPickFolder: false };
    const wrapper = mount(ImportPanel, { attachTo: document.body });
    expect(wrapper.find('[data-testid="import-pick"]').exists()).toBe(false);
    const browse = wrapper.get('[data-testid="import-browse"]');
    (browse.element as HTMLElement).focus();
    await browse.trigger('click');
    await flushPromises();
    expect(document.querySelector('[data-testid="folder-browser"]')).not.toBeNull();
    (document.querySelector('[data-testid="browse-folder"]') as HTMLButtonElement).click();
    await flushPromises();
    (document.querySelector('[data-testid="browse-choose"]') as HTMLButtonElement).click();
    await flushPromises();
    expect(document.querySelector('[data-testid="folder-browser"]')).toBeNull();
    expect((wrapper.get('[data-testid="import-folder"]').element as HTMLInputElement).value).toBe('/home/ann/Pictures');
    expect(document.activeElement).toBe(browse.element);
    expect(wrapper.find('[data-testid="photo-drop"]').exists()).toBe(true);
  });

  it('keeps the native dialog and no upload zone in the desktop app', () => {
    fakeJobs(api);
    useAppStore().info = { version: '0.1.0', mode: 'electron', canPickFolder: true };
    const wrapper = mount(ImportPanel, { attachTo: document.body });
    expect(wrapper.find('[data-testid="import-pick"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="import-browse"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="photo-drop"]').exists()).toBe(false);
  });
});
