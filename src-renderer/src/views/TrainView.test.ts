import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';
import type { DatasetCheck, TrainingStartParams } from '../../../src-main/api/types/runs';
import { setApiClient } from '../api/use-api';
import { useJobsStore } from '../stores/useJobsStore';
import { useTrainingDraftStore } from '../stores/useTrainingDraftStore';
import { fakeApi, type FakeApi } from '../test-support/fake-api';
import { fakeJobs, type FakeJobs } from '../test-support/fake-jobs';
import TrainView from './TrainView.vue';

let api: FakeApi;
let jobs: FakeJobs;
let check: DatasetCheck;
let router: Router;

const ready: DatasetCheck = {
  classes: [
    { name: 'cat', train: 16, validation: 2, test: 2, unsplit: 0 },
    { name: 'dog', train: 16, validation: 2, test: 2, unsplit: 0 },
  ],
  unlabelled: 0,
  missing: 0,
  problems: [],
  warnings: [],
};

beforeEach(() => {
  setActivePinia(createPinia());
  check = ready;
  api = fakeApi({
    'training.check': () => check,
    'training.lastConfig': () => null,
    'models.list': () => [],
    'library.counts': () => ({ total: 40, labelled: 40, unlabelled: 0, missing: 0, perClass: {} }),
    'classes.list': () => [],
    'runs.list': () => [],
    'training.start': (params) => ({ jobId: jobs.start('train', params, 'Train Run 1') }),
  });
  jobs = fakeJobs(api);
  setApiClient(api);
  router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/train', component: TrainView }, { path: '/:any(.*)', component: { template: '<div />' } }] });
});

async function mountView(step = 'data'): Promise<VueWrapper> {
  await router.push(`/train?step=${step}`);
  await useJobsStore().follow();
  const wrapper = mount(TrainView, {
    global: { plugins: [router], stubs: { TrainLive: { props: ['runId'], template: '<div data-testid="train-live-stub">live {{ runId }}</div>' }, RunEvaluation: true } },
  });
  await flushPromises();
  return wrapper;
}

describe('TrainView', () => {
  it('offers Train once the data check passes and starts the draft config, then shows the Train step', async () => {
    const wrapper = await mountView();
    expect(wrapper.get('[data-testid="step-data"]').attributes('aria-current')).toBe('step');
    expect(wrapper.get('[data-testid="config-summary"]').text()).toBe('mobilenet_v2 · bundled · 224 px · head only · 10 epochs');
    await wrapper.get('[data-testid="train-start"]').trigger('click');
    await flushPromises();
    const started = api.calls.find((c) => c.name === 'training.start')!.params as TrainingStartParams;
    expect(started.config).toEqual(useTrainingDraftStore().config);
    expect(router.currentRoute.value.query.step).toBe('train');
    expect(wrapper.find('[data-testid="train-live-stub"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="wizard-bar"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="step-train"] .number').classes()).toContain('busy');
  });

  it('hides Train while the data check has problems and marks the Data step', async () => {
    check = { ...ready, problems: [{ code: 'empty-validation', message: 'The validation split is empty.' }] };
    const wrapper = await mountView();
    expect(wrapper.find('[data-testid="train-start"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="train-blocker"]').text()).toBe('Fix the problems in the data check first.');
    expect(wrapper.get('[data-testid="step-data"] .number').text()).toBe('!');
  });

  it('holds Train back while a field is invalid or a run is training', async () => {
    const wrapper = await mountView();
    useTrainingDraftStore().markField('epochs', 'Enter a value.');
    await flushPromises();
    expect(wrapper.get('[data-testid="train-start"]').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="train-blocker"]').text()).toBe('A field holds a value that is not valid.');
    useTrainingDraftStore().markField('epochs', null);
    jobs.start('train', { config: useTrainingDraftStore().snapshot() });
    await flushPromises();
    expect(wrapper.get('[data-testid="train-blocker"]').text()).toBe('A run is training: see the Train step.');
  });

  it('moves between steps with the stepper and Back/Next, keeping the step in the URL', async () => {
    const wrapper = await mountView();
    await wrapper.get('[data-testid="wizard-next"]').trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.query.step).toBe('base');
    await wrapper.get('[data-testid="step-export"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="export-handover"]').text()).toContain('No run yet');
    await wrapper.get('[data-testid="step-evaluate"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="evaluate-empty"]').text()).toContain('train a model first');
  });
});
