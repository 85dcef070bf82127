import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunDetail, TrainProgress } from '../../../src-main/api/types/runs';
import { setApiClient } from '../api/use-api';
import type { ChartFeed } from '../components/chart-feed';
import LineChart from '../components/LineChart.vue';
import { useJobsStore } from '../stores/useJobsStore';
import { fakeApi, type FakeApi } from '../test-support/fake-api';
import { fakeJobs, type FakeJobs } from '../test-support/fake-jobs';
import { batchAt, epochAt, runDetail, trainingConfig } from '../test-support/run-fixtures';
import TrainLive from './TrainLive.vue';

let api: FakeApi;
let jobs: FakeJobs;
let detail: RunDetail;

const progress = (over: Partial<TrainProgress> = {}): TrainProgress => ({
  runId: 7,
  phase: 'training',
  stage: 'head',
  message: 'Training the head…',
  runtime: 'onnx',
  epoch: 1,
  epochs: 0,
  batch: 3,
  batches: 10,
  lastBatch: batchAt(13, 10),
  lastEpoch: null,
  imagesPerSecond: 42.4,
  etaSeconds: 75,
  cache: { done: 40, total: 40, hits: 12, misses: 28, bytes: 3 * 1024 * 1024 },
  ...over,
});

beforeEach(() => {
  setActivePinia(createPinia());
  detail = runDetail({ status: 'running', backend: null, runtime: null, history: [epochAt(0)], batches: [batchAt(0), batchAt(1)], finishedAt: null, best: null });
  api = fakeApi({
    'runs.get': () => detail,
    'runs.list': () => [detail],
    'training.resume': ({ runId }) => ({ jobId: jobs.start('train', { config: trainingConfig(), name: 'again', resumeRunId: runId }) }),
  });
  jobs = fakeJobs(api);
  setApiClient(api);
});

async function mountLive(runId: number | null = null) {
  await useJobsStore().follow();
  const wrapper = mount(TrainLive, { props: { runId }, global: { stubs: { LineChart: true, RouterLink: true } } });
  await flushPromises();
  return wrapper;
}

/** The aligned data a chart of the component would draw now. */
function chartData(wrapper: Awaited<ReturnType<typeof mountLive>>, id: string) {
  const chart = wrapper.findAllComponents(LineChart).find((c) => c.attributes('data-testid') === `chart-${id}`)!;
  return (chart.props('feed') as ChartFeed).data();
}

describe('TrainLive', () => {
  it('follows the newest training job: redraws its history, appends pushed points, shows the figures', async () => {
    const jobId = jobs.start('train', { config: trainingConfig({ epochs: 3 }), name: 'first' });
    jobs.progress<'train'>(jobId, progress({ runtime: null }));
    const wrapper = await mountLive();
    expect(api.calls.find((c) => c.name === 'runs.get')?.params).toEqual({ runId: 7 });
    expect(api.listeners('run.metrics')).toBe(1);
    expect(chartData(wrapper, 'epoch-loss')[0]).toEqual([1]);
    expect(chartData(wrapper, 'batch')[0]).toEqual([0, 1]);

    api.emit('run.metrics', { runId: 7, epochs: [epochAt(0), epochAt(1)], batches: [batchAt(1), batchAt(2)] });
    expect(chartData(wrapper, 'epoch-loss')[0]).toEqual([1, 2]);
    expect(chartData(wrapper, 'epoch-acc')[2]).toEqual([0.55, 0.55]);
    expect(chartData(wrapper, 'batch')[0]).toEqual([0, 1, 2]);
    expect(chartData(wrapper, 'lr')[1]).toEqual([0.001, 0.001, 0.001]);

    const text = (id: string) => wrapper.get(`[data-testid="${id}"]`).text();
    expect(text('train-phase')).toBe('Training the head');
    expect(text('train-epoch')).toBe('2 / 3');
    expect(text('train-batch')).toBe('3 / 10');
    expect(text('train-speed')).toBe('42 images/s');
    expect(text('train-eta')).toBe('1:15');
    expect(text('train-cache')).toBe('12 hits · 28 misses · 3.0 MB');
    expect(text('train-state')).toBe('Training');
    expect(text('train-runtime')).toBe('auto runtime');
    // Once the engine says what computes the frozen layers, the page says it before the run ends.
    jobs.progress<'train'>(jobId, progress({ runtime: 'onnx' }));
    await flushPromises();
    expect(text('train-runtime')).toBe('ONNX Runtime');
  });

  it('shows the cache filling while the frozen layers are cached', async () => {
    const jobId = jobs.start('train', { config: trainingConfig(), name: 'first' });
    jobs.progress<'train'>(jobId, progress({ phase: 'caching', lastBatch: null, batch: 0, batches: 0, imagesPerSecond: 20, cache: { done: 10, total: 50, hits: 4, misses: 6, bytes: 2048 } }));
    const wrapper = await mountLive();
    const bar = wrapper.get('[data-testid="train-cache-progress"]');
    expect(bar.get('[data-testid="job-done"]').text()).toBe('10 / 50 images');
    expect(bar.get('[data-testid="job-eta"]').text()).toBe('0:02 left');
    expect(bar.text()).toContain('4 already cached · 6 computed · 2.0 KB');
  });

  it('pauses, resumes and cancels through the jobs API', async () => {
    const jobId = jobs.start('train', { config: trainingConfig(), name: 'first' });
    jobs.progress<'train'>(jobId, progress());
    const wrapper = await mountLive(7);
    await wrapper.get('[data-testid="train-pause"]').trigger('click');
    await flushPromises();
    expect(api.calls.at(-1)).toEqual({ name: 'jobs.pause', params: { jobId } });
    expect(wrapper.get('[data-testid="train-state"]').text()).toBe('Paused');
    expect(wrapper.get('[data-testid="train-pause"]').text()).toBe('Resume');
    await wrapper.get('[data-testid="train-pause"]').trigger('click');
    await flushPromises();
    expect(api.calls.at(-1)).toEqual({ name: 'jobs.resume', params: { jobId } });
    await wrapper.get('[data-testid="train-cancel"]').trigger('click');
    await flushPromises();
    expect(api.calls.at(-1)).toEqual({ name: 'jobs.cancel', params: { jobId } });
    expect(wrapper.get('[data-testid="train-cancel"]').text()).toBe('Cancelling…');
  });

  it('after a cancel reads the run again and offers to resume it from its checkpoint', async () => {
    const jobId = jobs.start('train', { config: trainingConfig(), name: 'first' });
    jobs.progress<'train'>(jobId, progress());
    const wrapper = await mountLive();
    detail = { ...detail, status: 'cancelled', error: 'Cancelled. Resume it to continue from its last checkpoint.', hasCheckpoint: true, history: [epochAt(0), epochAt(1)] };
    jobs.fail(jobId, { code: 'cancelled', message: 'Cancelled' });
    await flushPromises();
    expect(wrapper.get('[data-testid="train-state"]').text()).toBe('Cancelled');
    expect(wrapper.get('[data-testid="train-outcome"]').text()).toContain('Resume it to continue');
    expect(chartData(wrapper, 'epoch-loss')[0]).toEqual([1, 2]);
    await wrapper.get('[data-testid="train-resume-run"]').trigger('click');
    await flushPromises();
    expect(api.calls.find((c) => c.name === 'training.resume')?.params).toEqual({ runId: 7 });
  });

  it('says why a run failed, and that no run exists yet', async () => {
    detail = runDetail({ status: 'failed', error: 'Out of memory: use a smaller batch size.', hasCheckpoint: false });
    const failed = await mountLive(7);
    expect(failed.get('[data-testid="train-outcome"]').text()).toBe('Out of memory: use a smaller batch size.');
    expect(failed.find('[data-testid="train-resume-run"]').exists()).toBe(false);
    expect([failed.get('[data-testid="train-backend"]').text(), failed.get('[data-testid="train-runtime"]').text()]).toEqual(['tfjs wasm', 'ONNX Runtime']);
    failed.unmount();
    expect(api.listeners('run.metrics')).toBe(0);

    api.handlers['runs.list'] = () => [];
    const none = await mountLive(null);
    expect(none.get('[data-testid="train-live-empty"]').text()).toContain('No run is training');
  });
});
