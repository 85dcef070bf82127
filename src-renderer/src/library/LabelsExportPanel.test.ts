import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiCallError } from '../api/api-client';
import { setApiClient } from '../api/use-api';
import { useAppStore } from '../stores/useAppStore';
import LabelsExportPanel from './LabelsExportPanel.vue';
import { fakeApi, type FakeApi } from '../test-support/fake-api';
import { fakeJobs, type FakeJobs } from '../test-support/fake-jobs';

let api: FakeApi;
let jobs: FakeJobs;
beforeEach(() => {
  setActivePinia(createPinia());
  const app = useAppStore();
  app.info = { version: '0.1.0', mode: 'serve', canPickFolder: false };
  app.project = { dir: '/projects/pets', name: 'pets', schemaVersion: 3, createdAt: '2025-01-01T00:00:00.000Z' };
  api = fakeApi({
    'labels.exportCsv': ({ file }) => ({ file, rows: 20, labelled: 12 }),
    'labels.importCsv': () => ({
      rows: 10,
      matched: 8,
      labelsChanged: 5,
      splitsSet: 2,
      createdClasses: ['bird'],
      unknownPaths: ['/a/1.jpg', '/a/2.jpg', '/a/3.jpg', '/a/4.jpg'],
      invalidRows: [{ line: 7, reason: 'unknown split "tst"' }],
    }),
    'labels.exportImageFolder': () => Promise.reject(new ApiCallError({ code: 'bad-request', message: '/out is not empty. Choose a new or empty folder for the export.' })),
  });
  jobs = fakeJobs(api);
  setApiClient(api);
});

describe('LabelsExportPanel', () => {
  it('exports the CSV to the path given, defaulting to the project folder', async () => {
    const wrapper = mount(LabelsExportPanel);
    expect((wrapper.get('[data-testid="labels-csv-file"]').element as HTMLInputElement).value).toBe('/projects/pets/labels.csv');
    await wrapper.get('[data-testid="labels-export-csv"]').trigger('click');
    await flushPromises();
    expect(api.calls).toEqual([{ name: 'labels.exportCsv', params: { file: '/projects/pets/labels.csv' } }]);
    expect(wrapper.get('[data-testid="csv-export-result"]').text()).toContain('Wrote 20 rows (12 labelled)');
  });

  it('imports a CSV and shows what it changed and which paths it did not know', async () => {
    const wrapper = mount(LabelsExportPanel);
    await wrapper.get('[data-testid="labels-csv-file"]').setValue('/tmp/in.csv');
    await wrapper.get('[data-testid="labels-import-csv"]').trigger('click');
    await flushPromises();
    expect(api.calls[0]).toEqual({ name: 'labels.importCsv', params: { file: '/tmp/in.csv' } });
    const result = wrapper.get('[data-testid="csv-import-result"]');
    expect(result.text()).toContain('8 matched images, 5 labels changed');
    expect(result.get('[data-testid="csv-created-classes"]').text()).toContain('bird');
    expect(result.get('[data-testid="csv-unknown"]').text()).toContain('4 paths are not images of this project');
    expect(result.get('[data-testid="csv-unknown"] code').text()).toBe('/a/1.jpg, /a/2.jpg, /a/3.jpg');
    expect(result.text()).toContain('unknown split "tst"');
  });

  it('sends the ImageFolder options and shows a refusal in an alert', async () => {
    const wrapper = mount(LabelsExportPanel);
    await wrapper.get('[data-testid="labels-export-dir"]').setValue('/out');
    await wrapper.get('[data-testid="labels-export-link"]').setValue(true);
    await wrapper.get('[data-testid="labels-export-by-split"]').setValue(true);
    await wrapper.get('[data-testid="labels-export-folder"]').trigger('click');
    await flushPromises();
    expect(api.calls[0]).toEqual({ name: 'labels.exportImageFolder', params: { dir: '/out', link: true, bySplit: true } });
    expect(wrapper.get('[role="alert"]').text()).toContain('/out is not empty');
    expect(wrapper.find('[data-testid="folder-export-progress"]').exists()).toBe(false);
  });

  it('shows the ImageFolder export progress, cancels it through jobs.cancel, and says what stays', async () => {
    api.handlers['labels.exportImageFolder'] = (params) => ({ jobId: jobs.start('image-folder-export', params, 'Copy photos into /projects/pets/imagefolder') });
    const wrapper = mount(LabelsExportPanel);
    await wrapper.get('[data-testid="labels-export-folder"]').trigger('click');
    await flushPromises();
    const jobId = 'job-1';
    expect(wrapper.get('[data-testid="labels-export-folder"]').text()).toBe('Exporting…');

    jobs.progress<'image-folder-export'>(jobId, { done: 250, total: 1000, imagesPerSecond: 125, etaSeconds: 6 });
    await flushPromises();
    const progress = wrapper.get('[data-testid="folder-export-progress"]');
    expect(progress.get('[data-testid="job-done"]').text()).toBe('250 / 1,000 images');
    expect(progress.get('[data-testid="job-rate"]').text()).toBe('125 images/s');
    expect(progress.get('[data-testid="job-eta"]').text()).toBe('0:06 left');
    expect(progress.text()).toContain('Copy photos into /projects/pets/imagefolder');
    expect(progress.get('[role="progressbar"]').attributes('aria-valuenow')).toBe('250');

    await wrapper.get('[data-testid="labels-export-cancel"]').trigger('click');
    await flushPromises();
    expect(api.calls.at(-1)).toEqual({ name: 'jobs.cancel', params: { jobId } });
    expect(wrapper.get('[data-testid="labels-export-cancel"]').text()).toBe('Cancelling…');

    jobs.finish<'image-folder-export'>(jobId, { dir: '/projects/pets/imagefolder', exported: 260, skipped: [], cancelled: true }, 'cancelled');
    await flushPromises();
    expect(wrapper.find('[data-testid="folder-export-progress"]').exists()).toBe(false);
    const result = wrapper.get('[data-testid="folder-export-result"]');
    expect(result.text()).toContain('Export cancelled after 260 images');
    expect(result.text()).toContain('They stay in /projects/pets/imagefolder');
    expect(wrapper.get('[data-testid="labels-export-folder"]').attributes('disabled')).toBeUndefined();
  });

  it('keeps showing a running export after the view is left and opened again', async () => {
    api.handlers['labels.exportImageFolder'] = (params) => ({ jobId: jobs.start('image-folder-export', params) });
    const first = mount(LabelsExportPanel);
    await first.get('[data-testid="labels-export-folder"]').trigger('click');
    await flushPromises();
    first.unmount();
    jobs.progress<'image-folder-export'>('job-1', { done: 40, total: 100, imagesPerSecond: 10, etaSeconds: 6 });
    const again = mount(LabelsExportPanel);
    await flushPromises();
    expect(again.get('[data-testid="folder-export-progress"]').get('[data-testid="job-done"]').text()).toBe('40 / 100 images');
    expect(again.get('[data-testid="labels-export-folder"]').attributes('disabled')).toBeDefined();
    jobs.finish<'image-folder-export'>('job-1', { dir: '/x', exported: 100, skipped: [], cancelled: false });
    await flushPromises();
    expect(again.get('[data-testid="folder-export-result"]').text()).toContain('Exported 100 images');
  });

  it('shows a finished ImageFolder export, and a failed one in an alert', async () => {
    api.handlers['labels.exportImageFolder'] = (params) => ({ jobId: jobs.start('image-folder-export', params) });
    const wrapper = mount(LabelsExportPanel);
    await wrapper.get('[data-testid="labels-export-folder"]').trigger('click');
    await flushPromises();
    jobs.finish<'image-folder-export'>('job-1', { dir: '/projects/pets/imagefolder', exported: 1000, skipped: [], cancelled: false });
    await flushPromises();
    expect(wrapper.get('[data-testid="folder-export-result"]').text()).toBe('Exported 1,000 images to /projects/pets/imagefolder.');
    await wrapper.get('[data-testid="labels-export-folder"]').trigger('click');
    await flushPromises();
    jobs.fail('job-2', { code: 'io', message: 'The disk is full. Free some space and export again.' });
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toBe('The disk is full. Free some space and export again.');
  });
});
