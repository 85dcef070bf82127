import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiCallError } from '../api/api-client';
import { setApiClient } from '../api/use-api';
import { useAppStore } from '../stores/useAppStore';
import LabelsExportPanel from './LabelsExportPanel.vue';
import { fakeApi, type FakeApi } from './fake-api';

let api: FakeApi;
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
  });
});
