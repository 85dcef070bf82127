import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LibraryImportParams } from '../../../src-main/api/contract';
import type { ImportSummary } from '../../../src-main/api/types/import';
import { ApiCallError } from '../api/api-client';
import { installApiClient, setApiClient } from '../api/use-api';
import { useAppStore } from '../stores/useAppStore';
import ImportPanel from './ImportPanel.vue';
import { deferred, fakeApi, type FakeApi } from './fake-api';

const summary = (over: Partial<ImportSummary> = {}): ImportSummary => ({
  folder: '/photos',
  runId: 1,
  added: 12,
  updated: 0,
  unchanged: 3,
  relinked: 1,
  missing: 0,
  duplicates: [],
  skipped: [{ path: '/photos/cats/broken.jpg', reason: 'Not a readable image (corrupt JPEG data)' }],
  classes: { cats: 7, dogs: 5 },
  cancelled: false,
  seconds: 2,
  imagesPerSecond: 8,
  ...over,
});

let api: FakeApi;
let reply: ReturnType<typeof deferred<ImportSummary>>;

function mountPanel(canPickFolder = false) {
  useAppStore().info = { version: '0.1.0', mode: canPickFolder ? 'electron' : 'serve', canPickFolder };
  return mount(ImportPanel, { attachTo: document.body });
}

const importParams = () => api.calls.find((c) => c.name === 'library.import')!.params as LibraryImportParams;

beforeEach(() => {
  setActivePinia(createPinia());
  reply = deferred<ImportSummary>();
  api = fakeApi({
    'library.import': () => reply.promise,
    'job.cancel': () => ({ cancelled: true }),
    'project.pickFolder': () => '/picked/folder',
  });
  setApiClient(api);
});

describe('ImportPanel', () => {
  it('starts library.import with the form, a fresh job id and thumbnails', async () => {
    const wrapper = mountPanel();
    expect(wrapper.get('[data-testid="import-start"]').attributes('disabled')).toBeDefined();
    await wrapper.get('[data-testid="import-folder"]').setValue('  /photos ');
    await wrapper.get('[data-testid="import-labels-from-subfolders"]').setValue(true);
    await wrapper.get('[data-testid="import-label-depth"]').setValue('2');
    await wrapper.get('[data-testid="import-start"]').trigger('submit');
    const params = importParams();
    expect(params).toMatchObject({ folder: '/photos', labelsFromSubfolders: true, labelDepth: 2, allowSvg: false, thumbnails: true });
    expect(params.jobId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('leaves the depth out when empty, and flags a bad depth inline', async () => {
    const wrapper = mountPanel();
    await wrapper.get('[data-testid="import-folder"]').setValue('/photos');
    await wrapper.get('[data-testid="import-labels-from-subfolders"]').setValue(true);
    await wrapper.get('[data-testid="import-label-depth"]').setValue('0');
    expect(wrapper.text()).toContain('The level must be a whole number');
    expect(wrapper.get('[data-testid="import-start"]').attributes('disabled')).toBeDefined();
    await wrapper.get('[data-testid="import-label-depth"]').setValue('');
    await wrapper.get('form').trigger('submit');
    expect(importParams()).not.toHaveProperty('labelDepth');
  });

  it('shows progress from its job events, cancels through job.cancel, then shows the result', async () => {
    const wrapper = mountPanel();
    await wrapper.get('[data-testid="import-folder"]').setValue('/photos');
    await wrapper.get('form').trigger('submit');
    const { jobId } = importParams();
    expect(wrapper.get('[data-testid="import-start"]').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="import-start"]').text()).toBe('Importing…');

    api.emit('job.progress', { jobId, kind: 'import', done: 30, total: 120, message: '28 added, 1 duplicates, 1 skipped', ratePerSecond: 14.2, etaSeconds: 65 });
    api.emit('job.progress', { jobId: 'someone-else', kind: 'import', done: 99, total: 100, message: 'not ours' });
    await flushPromises();
    const progress = wrapper.get('[data-testid="import-progress"]');
    expect(progress.get('[data-testid="job-done"]').text()).toBe('30 / 120 images');
    expect(progress.get('[data-testid="job-rate"]').text()).toBe('14 images/s');
    expect(progress.get('[data-testid="job-eta"]').text()).toBe('1:05 left');
    expect(progress.text()).toContain('28 added, 1 duplicates, 1 skipped');
    expect(progress.get('[role="progressbar"]').attributes('aria-valuenow')).toBe('30');

    await wrapper.get('[data-testid="import-cancel"]').trigger('click');
    await flushPromises();
    expect(api.calls.at(-1)).toEqual({ name: 'job.cancel', params: { jobId } });
    expect(wrapper.get('[data-testid="import-cancel"]').text()).toBe('Cancelling…');

    reply.resolve(summary({ cancelled: true, added: 30 }));
    await flushPromises();
    expect(wrapper.find('[data-testid="import-progress"]').exists()).toBe(false);
    const result = wrapper.get('[data-testid="import-result"]');
    expect(result.text()).toContain('Import cancelled');
    expect(result.get('[data-testid="import-cancelled"]').text()).toContain('What was imported before the cancel is kept');
    expect(wrapper.get('[data-testid="import-start"]').attributes('disabled')).toBeUndefined();
  });

  it('shows a failed import in an alert', async () => {
    const wrapper = mountPanel();
    await wrapper.get('[data-testid="import-folder"]').setValue('/nowhere');
    await wrapper.get('form').trigger('submit');
    reply.reject(new ApiCallError({ code: 'not-found', message: 'Folder /nowhere does not exist.' }));
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toBe('Folder /nowhere does not exist.');
    expect(wrapper.find('[data-testid="import-result"]').exists()).toBe(false);
  });

  it('offers the folder picker only where the host has one', async () => {
    expect(mountPanel(false).find('[data-testid="import-pick"]').exists()).toBe(false);
    const wrapper = mountPanel(true);
    await wrapper.get('[data-testid="import-pick"]').trigger('click');
    await flushPromises();
    expect((wrapper.get('[data-testid="import-folder"]').element as HTMLInputElement).value).toBe('/picked/folder');
  });

  it('shows the running import again after the view is left and reopened', async () => {
    const first = mountPanel();
    await first.get('[data-testid="import-folder"]').setValue('/photos');
    await first.get('form').trigger('submit');
    first.unmount();
    const again = mountPanel();
    expect(again.find('[data-testid="import-progress"]').exists()).toBe(true);
    expect((again.get('[data-testid="import-folder"]').element as HTMLInputElement).value).toBe('/photos');
    reply.resolve(summary());
    await flushPromises();
    expect(again.get('[data-testid="import-result"]').text()).toContain('Import finished');
  });
});

describe('ImportPanel drop', () => {
  it('fills the folder from a folder dropped in the desktop app, and explains why a browser cannot', async () => {
    const wrapper = mountPanel(true);
    const dropped = { files: [{ name: 'photos' }] };
    installApiClient({ graft: { call: () => Promise.reject(new Error('unused')), on: () => () => undefined, pathForFile: () => '/home/me/photos' } } as unknown as Window);
    setApiClient(api);
    await wrapper.get('section').trigger('drop', { dataTransfer: dropped });
    expect((wrapper.get('[data-testid="import-folder"]').element as HTMLInputElement).value).toBe('/home/me/photos');

    installApiClient({ graft: { call: () => Promise.reject(new Error('unused')), on: () => () => undefined } } as unknown as Window);
    setApiClient(api);
    await wrapper.get('section').trigger('drop', { dataTransfer: dropped });
    expect(wrapper.get('[role="alert"]').text()).toContain('type or paste its path');
  });
});
