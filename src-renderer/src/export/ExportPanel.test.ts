import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';
import type { ExportParams, ExportResult } from '../../../src-main/api/types/export';
import type { RunDetail, RunSummary } from '../../../src-main/api/types/runs';
import { ApiCallError } from '../api/api-client';
import { setApiClient } from '../api/use-api';
import { useAppStore } from '../stores/useAppStore';
import { useJobsStore } from '../stores/useJobsStore';
import { fakeApi, type FakeApi } from '../test-support/fake-api';
import { fakeJobs, type FakeJobs } from '../test-support/fake-jobs';
import { runDetail } from '../test-support/run-fixtures';
import ExportView from '../views/ExportView.vue';
import ExportPanel from './ExportPanel.vue';

/** A run summary; `detail` patches the run as runs.get returns it. */
function run(id: number, patch: Partial<RunDetail> = {}): RunDetail {
  return runDetail({ id, name: `Run ${id} · mobilenet_v2`, createdAt: `2026-01-0${id}T10:00:00.000Z`, ...patch });
}

let api: FakeApi;
let jobs: FakeJobs;
let router: Router;
let runs: RunDetail[];
let startError: ApiCallError | null;

const summaries = (): RunSummary[] =>
  [...runs].reverse().map(({ config: _c, dir: _d, checkpoints: _k, history: _h, batches: _b, cache: _x, splitCounts: _s, evaluations: _e, ...summary }) => summary);
const exportParams = () => api.calls.filter((c) => c.name === 'runs.export').map((c) => c.params as ExportParams);

const onnxResult = (over: Partial<ExportResult> = {}): ExportResult => ({
  format: 'onnx',
  dir: '/project/exports/run-2-mobilenet-v2-onnx',
  files: ['README.md', 'graft-export.json', 'labels.json', 'model.onnx', 'preprocessing.json', 'report.html'],
  parity: { maxAbsDiff: 1.79e-7, reader: 'ONNX Runtime 1.30.0', images: 2, passed: true, bound: 1e-4 },
  downloadUrl: '/download/export/run-2-mobilenet-v2-onnx.zip',
  ...over,
});

beforeEach(async () => {
  setActivePinia(createPinia());
  startError = null;
  runs = [
    run(1),
    run(2),
    run(3, { status: 'cancelled', checkpoints: { best: null, last: 'checkpoints/last' }, best: null, error: 'Cancelled.' }),
    run(4, { status: 'running' }),
    run(5, { hasCheckpoint: false, status: 'failed', checkpoints: { best: null, last: null } }),
  ];
  api = fakeApi({
    'runs.list': () => summaries(),
    'runs.get': ({ runId }) => runs.find((r) => r.id === runId)!,
    'runs.export': (params) => {
      if (startError) throw startError;
      return { jobId: jobs.start('export', params, `Export Run ${params.runId} · mobilenet_v2 as ${params.format}`) };
    },
    'project.pickFolder': () => '/home/me/models/cats',
  });
  jobs = fakeJobs(api);
  setApiClient(api);
  router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/export', component: ExportView }, { path: '/:any(.*)', component: { template: '<div />' } }] });
  await router.push('/export');
});

async function mountView(mode: 'serve' | 'electron' = 'serve', path = '/export') {
  useAppStore().info = { version: '0.1.0', mode, canPickFolder: mode === 'electron' };
  useAppStore().project = { dir: '/project', name: 'project', schemaVersion: 5, createdAt: '2026-01-01T00:00:00.000Z' };
  await router.push(path);
  const wrapper = mount(ExportView, { global: { plugins: [router] }, attachTo: document.body });
  await flushPromises();
  return wrapper;
}

describe('ExportPanel', () => {
  it('offers the runs with a checkpoint that are not training, starting on the newest finished one and its best checkpoint', async () => {
    const wrapper = await mountView();
    const options = wrapper.findAll('[data-testid="export-run"] option');
    expect(options.map((o) => o.text())).toEqual(['Run 3 · mobilenet_v2 · test 75.0% (cancelled)', 'Run 2 · mobilenet_v2 · test 75.0%', 'Run 1 · mobilenet_v2 · test 75.0%']);
    expect((wrapper.get('[data-testid="export-run"]').element as HTMLSelectElement).value).toBe('2');
    expect((wrapper.get('[data-testid="export-checkpoint-best"]').element as HTMLInputElement).checked).toBe(true);
    expect(wrapper.text()).toContain('Best (epoch 2, val 80.0%)');
    expect(wrapper.text()).toContain('Last (epoch 2)');
    // Every format says what it is and who it is for.
    for (const format of ['tfjs', 'onnx', 'keras', 'h5', 'keras-job']) expect(wrapper.get(`[data-testid="export-format-${format}"]`).text()).toMatch(/\S.*For \S/);
  });

  it('exports under the project by default in serve mode, shows progress with Cancel, then the files, the parity check and a download link', async () => {
    const wrapper = await mountView();
    expect(wrapper.find('[data-testid="export-pick"]').exists()).toBe(false);
    expect(wrapper.text()).toContain('Written on the server to /project/exports/<run>-tfjs, then offered here as a download.');
    await wrapper.get('[data-testid="export-format-onnx"] input').setValue(true);
    expect(wrapper.text()).toContain('/project/exports/<run>-onnx');
    await wrapper.get('[data-testid="export-start"]').trigger('submit');
    await flushPromises();
    expect(exportParams()).toEqual([{ runId: 2, checkpoint: 'best', format: 'onnx' }]);

    jobs.progress<'export'>('job-1', { done: 1, total: 4, message: 'Checking model.onnx against the run on 2 held-out images…' });
    await flushPromises();
    expect(wrapper.get('[data-testid="export-progress"]').text()).toContain('Checking model.onnx against the run on 2 held-out images…');
    expect(wrapper.get('[data-testid="export-start"]').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="export-start"]').text()).toBe('Exporting…');
    await wrapper.get('[data-testid="export-cancel"]').trigger('click');
    await flushPromises();
    expect(api.calls.some((c) => c.name === 'jobs.cancel')).toBe(true);

    jobs.finish<'export'>('job-1', onnxResult());
    await flushPromises();
    expect(wrapper.find('[data-testid="export-progress"]').exists()).toBe(false);
    const outcome = wrapper.get('[data-testid="export-outcome"]');
    expect(outcome.text()).toContain('Exported ONNX to /project/exports/run-2-mobilenet-v2-onnx');
    expect(wrapper.get('[data-testid="export-parity"]').text()).toBe('Parity passed max |Δ| 1.79e-7 ≤ 1e-4 on 2 held-out images, read back with ONNX Runtime 1.30.0.');
    expect(wrapper.findAll('[data-testid="export-files"] li').map((li) => li.text())).toContain('model.onnx');
    expect(wrapper.get('[data-testid="export-download"]').attributes()).toMatchObject({ href: '/download/export/run-2-mobilenet-v2-onnx.zip', download: '' });
  });

  it('shows a failed export (a failed parity check among them) as an error, and a cancelled one as nothing written', async () => {
    const wrapper = await mountView();
    await wrapper.get('[data-testid="export-start"]').trigger('submit');
    await flushPromises();
    jobs.fail('job-1', { code: 'internal', message: "The exported tfjs model answers differently from the run's model (max |Δ| 3.00e-3 > 1e-5); nothing was written." });
    await flushPromises();
    expect(wrapper.get('[data-testid="export-error"]').text()).toContain('max |Δ| 3.00e-3 > 1e-5');
    expect(wrapper.get('[data-testid="export-error"]').attributes('role')).toBe('alert');

    await wrapper.get('[data-testid="export-start"]').trigger('submit');
    await flushPromises();
    jobs.fail('job-2', { code: 'cancelled', message: 'Cancelled.' });
    await flushPromises();
    expect(wrapper.get('[data-testid="export-cancelled"]').text()).toBe('Export cancelled; nothing was written.');
  });

  it('shows a parity figure over its bound as an error, and a training job without one', async () => {
    const wrapper = await mountView();
    await wrapper.get('[data-testid="export-start"]').trigger('submit');
    await flushPromises();
    jobs.finish<'export'>('job-1', onnxResult({ parity: { maxAbsDiff: 2e-3, reader: 'ONNX Runtime 1.30.0', images: 2, passed: false, bound: 1e-4 } }));
    await flushPromises();
    const parity = wrapper.get('[data-testid="export-parity"]');
    expect(parity.attributes('role')).toBe('alert');
    expect(parity.text()).toContain('Parity FAILED max |Δ| 2.00e-3 > 1e-4');

    await wrapper.get('[data-testid="export-start"]').trigger('submit');
    await flushPromises();
    jobs.finish<'export'>('job-2', onnxResult({ format: 'keras-job', parity: null, files: ['config.json', 'data', 'train.py'], downloadUrl: null }));
    await flushPromises();
    expect(wrapper.get('[data-testid="export-parity"]').text()).toBe('No parity check: a training job holds no trained model to compare.');
    expect(wrapper.find('[data-testid="export-download"]').exists()).toBe(false);
    expect(wrapper.text()).toContain('Run python3 train.py in that folder');
  });

  it('follows ?run= and puts the chosen run in the URL; a run without a best checkpoint exports its last', async () => {
    const wrapper = await mountView('serve', '/export?run=1');
    expect((wrapper.get('[data-testid="export-run"]').element as HTMLSelectElement).value).toBe('1');
    await wrapper.get('[data-testid="export-run"]').setValue('3');
    await flushPromises();
    expect(router.currentRoute.value.query.run).toBe('3');
    expect((wrapper.get('[data-testid="export-checkpoint-best"]').element as HTMLInputElement).disabled).toBe(true);
    expect((wrapper.get('[data-testid="export-checkpoint-last"]').element as HTMLInputElement).checked).toBe(true);
    await wrapper.get('[data-testid="export-start"]').trigger('submit');
    await flushPromises();
    expect(exportParams()).toEqual([{ runId: 3, checkpoint: 'last', format: 'tfjs' }]);
  });

  it('picks the folder with the desktop dialog and says why an export could not start', async () => {
    const wrapper = await mountView('electron');
    await wrapper.get('[data-testid="export-pick"]').trigger('click');
    await flushPromises();
    expect((wrapper.get('[data-testid="export-out"]').element as HTMLInputElement).value).toBe('/home/me/models/cats');
    startError = new ApiCallError({ code: 'bad-request', message: 'Run 2 has no best checkpoint to export; train it first.' });
    await wrapper.get('[data-testid="export-start"]').trigger('submit');
    await flushPromises();
    expect(exportParams()).toEqual([{ runId: 2, checkpoint: 'best', format: 'tfjs', out: '/home/me/models/cats' }]);
    expect(wrapper.get('[data-testid="export-start-error"]').text()).toBe('Run 2 has no best checkpoint to export; train it first.');
  });

  it('finds a running export again after a reload, with its progress and Cancel', async () => {
    const id = jobs.start('export', { runId: 1, checkpoint: 'best', format: 'keras' }, 'Export Run 1 · mobilenet_v2 as keras');
    jobs.progress<'export'>(id, { done: 0, total: 4, message: 'Writing model.keras…' });
    await useJobsStore().follow();
    const wrapper = await mountView();
    expect(wrapper.get('[data-testid="export-progress"]').text()).toContain('Writing model.keras…');
    expect(wrapper.find('[data-testid="export-cancel"]').exists()).toBe(true);
  });

  it('says there is nothing to export before any run has a checkpoint', async () => {
    runs = [run(4, { status: 'running' })];
    const wrapper = mount(ExportPanel, { global: { plugins: [router] } });
    await flushPromises();
    expect(wrapper.get('[data-testid="export-empty"]').text()).toContain('No trained run to export yet.');
  });
});
