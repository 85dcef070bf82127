import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LibraryImportParams } from '../../../src-main/api/types/jobs';
import type { ImportSummary } from '../../../src-main/api/types/import';
import { ApiCallError } from '../api/api-client';
import { installApiClient, setApiClient } from '../api/use-api';
import { useAppStore } from '../stores/useAppStore';
import { useJobsStore } from '../stores/useJobsStore';
import ImportPanel from './ImportPanel.vue';
import { fakeApi, type FakeApi } from '../test-support/fake-api';
import { fakeJobs, type FakeJobs } from '../test-support/fake-jobs';
import type { ImportProgress } from '../../../src-main/api/types/import';

const summary = (over: Partial<ImportSummary> = {}): ImportSummary => ({
  folder: '/photos',
  runId: 1,
  added: 12,
  updated: 0,
  unchanged: 3,
  relinked: 1,
  missing: 0,
  duplicates: [],
  conflicts: [],
  skipped: [{ path: '/photos/cats/broken.jpg', reason: 'Not a readable image (corrupt JPEG data)' }],
  classes: { cats: 7, dogs: 5 },
  cancelled: false,
  seconds: 2,
  imagesPerSecond: 8,
  ...over,
});

let api: FakeApi;
let jobs: FakeJobs;
let startError: ApiCallError | null;
const progress = (over: Partial<ImportProgress> = {}): ImportProgress => ({
  phase: 'importing',
  done: 30,
  total: 120,
  added: 28,
  skipped: 1,
  duplicates: 1,
  imagesPerSecond: 14.2,
  etaSeconds: 65,
  ...over,
});

function mountPanel(canPickFolder = false) {
  useAppStore().info = { version: '0.1.0', mode: canPickFolder ? 'electron' : 'serve', canPickFolder };
  return mount(ImportPanel, { attachTo: document.body });
}

const importParams = () => api.calls.find((c) => c.name === 'library.import')!.params as LibraryImportParams;
/** The id of the import job the panel started. */
const importJob = () => api.calls.length && jobs.get('job-1') ? 'job-1' : '';

beforeEach(() => {
  setActivePinia(createPinia());
  startError = null;
  api = fakeApi({
    'library.import': (params) => {
      if (startError) throw startError;
      return { jobId: jobs.start('import', params, `Import ${params.folder}`) };
    },
    'project.pickFolder': () => '/picked/folder',
  });
  jobs = fakeJobs(api);
  setApiClient(api);
});

describe('ImportPanel', () => {
  it('starts library.import with the form and thumbnails; in a browser, links out of the folder stay unfollowed', async () => {
    const wrapper = mountPanel();
    expect(wrapper.get('[data-testid="import-start"]').attributes('disabled')).toBeDefined();
    await wrapper.get('[data-testid="import-folder"]').setValue('  /photos ');
    await wrapper.get('[data-testid="import-labels-from-subfolders"]').setValue(true);
    await wrapper.get('[data-testid="import-label-depth"]').setValue('2');
    await wrapper.get('[data-testid="import-start"]').trigger('submit');
    const params = importParams();
    expect(params).toEqual({ folder: '/photos', labelsFromSubfolders: true, labelDepth: 2, allowSvg: false, thumbnails: true, followLinksOutside: false });
  });

  it('follows links as a file manager would in the desktop app', async () => {
    const wrapper = mountPanel(true);
    await wrapper.get('[data-testid="import-folder"]').setValue('/photos');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(importParams()).not.toHaveProperty('followLinksOutside');
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

  it('shows progress from its job events, pauses, cancels through jobs.cancel, then shows the result', async () => {
    const wrapper = mountPanel();
    await wrapper.get('[data-testid="import-folder"]').setValue('/photos');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    const jobId = importJob();
    expect(wrapper.get('[data-testid="import-start"]').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="import-start"]').text()).toBe('Importing…');

    jobs.progress<'import'>(jobId, progress());
    const other = jobs.start('self-test', { size: 8, iterations: 1 });
    jobs.progress<'self-test'>(other, { done: 99, total: 100, message: 'not ours' });
    await flushPromises();
    const bar = wrapper.get('[data-testid="import-progress"]');
    expect(bar.get('[data-testid="job-done"]').text()).toBe('30 / 120 images');
    expect(bar.get('[data-testid="job-rate"]').text()).toBe('14 images/s');
    expect(bar.get('[data-testid="job-eta"]').text()).toBe('1:05 left');
    expect(bar.text()).toContain('28 added, 1 duplicate, 1 skipped');
    expect(bar.get('[role="progressbar"]').attributes('aria-valuenow')).toBe('30');

    await wrapper.get('[data-testid="import-pause"]').trigger('click');
    await flushPromises();
    expect(api.calls.at(-1)).toEqual({ name: 'jobs.pause', params: { jobId } });
    expect(wrapper.get('[data-testid="import-pause"]').text()).toBe('Resume');
    expect(bar.get('[data-testid="job-eta"]').text()).toBe('paused');
    await wrapper.get('[data-testid="import-pause"]').trigger('click');
    await flushPromises();
    expect(api.calls.at(-1)).toEqual({ name: 'jobs.resume', params: { jobId } });

    await wrapper.get('[data-testid="import-cancel"]').trigger('click');
    await flushPromises();
    expect(api.calls.at(-1)).toEqual({ name: 'jobs.cancel', params: { jobId } });
    expect(wrapper.get('[data-testid="import-cancel"]').text()).toBe('Cancelling…');

    jobs.finish<'import'>(jobId, summary({ cancelled: true, added: 30 }), 'cancelled');
    await flushPromises();
    expect(wrapper.find('[data-testid="import-progress"]').exists()).toBe(false);
    const result = wrapper.get('[data-testid="import-result"]');
    expect(result.text()).toContain('Import cancelled');
    expect(result.get('[data-testid="import-cancelled"]').text()).toContain('What was imported before the cancel is kept');
    expect(wrapper.get('[data-testid="import-start"]').attributes('disabled')).toBeUndefined();
  });

  it('shows an import that could not start, or that failed, in an alert', async () => {
    const wrapper = mountPanel();
    await wrapper.get('[data-testid="import-folder"]').setValue('/nowhere');
    startError = new ApiCallError({ code: 'bad-request', message: 'An import is already running (Import /a). Wait for it or cancel it.' });
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toContain('An import is already running');
    startError = null;
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    jobs.fail('job-1', { code: 'not-found', message: 'Folder /nowhere does not exist.' });
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
    await flushPromises();
    first.unmount();
    const again = mountPanel();
    expect(again.find('[data-testid="import-progress"]').exists()).toBe(true);
    expect((again.get('[data-testid="import-folder"]').element as HTMLInputElement).value).toBe('/photos');
    jobs.finish<'import'>('job-1', summary());
    await flushPromises();
    expect(again.get('[data-testid="import-result"]').text()).toContain('Import finished');
  });

  it('reattaches to an import that was already running when the page loaded (a reload, a second window)', async () => {
    const jobId = jobs.start('import', { folder: '/big', labelsFromSubfolders: true, thumbnails: true }, 'Import /big');
    jobs.progress<'import'>(jobId, progress({ done: 500, total: 2000 }));
    const wrapper = mountPanel();
    await useJobsStore().follow();
    await flushPromises();
    expect(wrapper.get('[data-testid="import-progress"]').get('[data-testid="job-done"]').text()).toBe('500 / 2,000 images');
    expect((wrapper.get('[data-testid="import-folder"]').element as HTMLInputElement).value).toBe('/big');
    jobs.progress<'import'>(jobId, progress({ done: 900, total: 2000 }));
    await flushPromises();
    expect(wrapper.get('[data-testid="job-done"]').text()).toBe('900 / 2,000 images');
    await wrapper.get('[data-testid="import-cancel"]').trigger('click');
    await flushPromises();
    expect(api.calls.at(-1)).toEqual({ name: 'jobs.cancel', params: { jobId } });
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

  it('remembers its folder and options across a reload, per project', async () => {
    localStorage.clear();
    useAppStore().project = { dir: '/projects/birds', name: 'birds', schemaVersion: 6, createdAt: '2024-01-01' };
    const first = mountPanel();
    await first.get('[data-testid="import-folder"]').setValue('/photos/birds');
    await first.get('[data-testid="import-labels-from-subfolders"]').setValue(true);
    await first.get('[data-testid="import-label-depth"]').setValue('2');
    await flushPromises();
    first.unmount();

    const again = mountPanel();
    expect((again.get('[data-testid="import-folder"]').element as HTMLInputElement).value).toBe('/photos/birds');
    expect((again.get('[data-testid="import-labels-from-subfolders"]').element as HTMLInputElement).checked).toBe(true);
    expect((again.get('[data-testid="import-label-depth"]').element as HTMLInputElement).value).toBe('2');
    again.unmount();

    useAppStore().project = { dir: '/projects/cars', name: 'cars', schemaVersion: 6, createdAt: '2024-01-01' };
    const other = mountPanel();
    expect((other.get('[data-testid="import-folder"]').element as HTMLInputElement).value).toBe('');
    other.unmount();
  });
});
