import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';
import type { RunDetail } from '../../../src-main/api/types/runs';
import { setApiClient } from '../api/use-api';
import { fakeApi, type FakeApi } from '../test-support/fake-api';
import { runDetail, trainingConfig } from '../test-support/run-fixtures';
import EvaluateView from './EvaluateView.vue';

let api: FakeApi;
let runs: RunDetail[];
let router: Router;

beforeEach(async () => {
  setActivePinia(createPinia());
  runs = [
    runDetail({ id: 9, name: 'second', config: trainingConfig({ optimizer: { name: 'sgd', learningRate: 0.01 } }), testAcc: 0.9 }),
    runDetail({ id: 7, name: 'first' }),
  ];
  api = fakeApi({
    'runs.list': () => runs,
    'runs.get': ({ runId }) => runs.find((r) => r.id === runId)!,
    'runs.rename': ({ runId, name }) => {
      runs = runs.map((r) => (r.id === runId ? { ...r, name } : r));
      return runs.find((r) => r.id === runId)!;
    },
    'runs.delete': ({ runId }) => {
      runs = runs.filter((r) => r.id !== runId);
      return { deleted: true };
    },
  });
  setApiClient(api);
  router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/evaluate', component: EvaluateView }, { path: '/train', component: EvaluateView }] });
  await router.push('/evaluate');
});

async function mountView() {
  const wrapper = mount(EvaluateView, { global: { plugins: [router], stubs: { RunEvaluation: true, TrainLive: true, LineChart: true } }, attachTo: document.body });
  await flushPromises();
  return wrapper;
}

describe('EvaluateView', () => {
  it('lists the runs and opens the newest, or the one in the URL', async () => {
    const wrapper = await mountView();
    expect(wrapper.get('[data-testid="run-row-9"]').text()).toContain('second');
    expect(wrapper.get('[data-testid="run-row-9"]').text()).toContain('90.0%');
    expect(wrapper.get('[data-testid="evaluate-run-name"]').text()).toBe('second');
    await wrapper.get('[data-testid="run-open-7"]').trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.query.run).toBe('7');
    expect(wrapper.get('[data-testid="evaluate-run-name"]').text()).toBe('first');
    wrapper.unmount();
  });

  it('renames a run in place with Enter, and Escape leaves it', async () => {
    const wrapper = await mountView();
    await wrapper.get('[data-testid="run-rename-7"]').trigger('click');
    await wrapper.get('[data-testid="run-rename-input"]').setValue('  baseline ');
    await wrapper.get('[data-testid="run-rename-input"]').trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(api.calls.find((c) => c.name === 'runs.rename')?.params).toEqual({ runId: 7, name: 'baseline' });
    expect(wrapper.get('[data-testid="run-open-7"]').text()).toBe('baseline');
    await wrapper.get('[data-testid="run-rename-9"]').trigger('click');
    await wrapper.get('[data-testid="run-rename-input"]').setValue('nope');
    await wrapper.get('[data-testid="run-rename-input"]').trigger('keydown', { key: 'Escape' });
    await flushPromises();
    expect(api.calls.filter((c) => c.name === 'runs.rename')).toHaveLength(1);
    wrapper.unmount();
  });

  it('deletes a run only after the confirm dialog says so', async () => {
    const wrapper = await mountView();
    await wrapper.get('[data-testid="run-delete-7"]').trigger('click');
    expect(wrapper.get('[data-testid="confirm-dialog"]').text()).toContain('“first” and its checkpoints will be deleted');
    await wrapper.get('[data-testid="confirm-dialog"] button').trigger('click');
    expect(api.calls.some((c) => c.name === 'runs.delete')).toBe(false);
    await wrapper.get('[data-testid="run-delete-7"]').trigger('click');
    await wrapper.get('[data-testid="confirm-ok"]').trigger('click');
    await flushPromises();
    expect(api.calls.find((c) => c.name === 'runs.delete')?.params).toEqual({ runId: 7 });
    expect(wrapper.find('[data-testid="run-row-7"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('compares two ticked runs: their settings side by side with the differences marked', async () => {
    const wrapper = await mountView();
    await wrapper.get('[data-testid="run-compare-9"]').setValue(true);
    await flushPromises();
    await wrapper.get('[data-testid="run-compare-7"]').setValue(true);
    await flushPromises();
    expect(router.currentRoute.value.query.compare).toBe('9,7');
    const diff = wrapper.get('[data-testid="config-diff"]');
    expect(diff.findAll('tbody tr').map((r) => r.findAll('th, td').map((c) => c.text()))).toEqual([
      ['Optimizer', 'sgd', 'adam'],
      ['Learning rate', '0.01', '0.001'],
    ]);
    await wrapper.get('[data-testid="compare-all-settings"]').setValue(true);
    expect(wrapper.get('[data-testid="diff-base.arch"]').classes()).not.toContain('differs');
    expect(wrapper.get('[data-testid="diff-optimizer.name"]').classes()).toContain('differs');
    wrapper.unmount();
  });

  it('says what to do when there are no runs', async () => {
    runs = [];
    const wrapper = await mountView();
    expect(wrapper.get('[data-testid="runs-empty"]').text()).toContain('No runs yet');
    wrapper.unmount();
  });
});
