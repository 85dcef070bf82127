import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import type { DatasetCheck } from '../../../src-main/api/types/runs';
import { setApiClient } from '../api/use-api';
import { useDatasetCheckStore } from '../stores/useDatasetCheckStore';
import { useLibraryStore } from '../stores/useLibraryStore';
import { useTrainingDraftStore } from '../stores/useTrainingDraftStore';
import { fakeApi, type FakeApi } from '../test-support/fake-api';
import DataCheck from './DataCheck.vue';

let api: FakeApi;
let check: DatasetCheck;

const unsplit: DatasetCheck = {
  classes: [
    { name: 'cat', train: 0, validation: 0, test: 0, unsplit: 40 },
    { name: 'dog', train: 0, validation: 0, test: 0, unsplit: 8 },
  ],
  unlabelled: 5,
  missing: 0,
  problems: [{ code: 'no-splits', message: 'None of the 48 labelled images has a split. Assign train/validation/test splits first.' }],
  warnings: [{ code: 'unlabelled', message: '5 photos are not labelled and will not be used.' }],
};
const split: DatasetCheck = {
  classes: [
    { name: 'cat', train: 32, validation: 4, test: 4, unsplit: 0 },
    { name: 'dog', train: 6, validation: 1, test: 1, unsplit: 0 },
  ],
  unlabelled: 0,
  missing: 0,
  problems: [],
  warnings: [
    { code: 'tiny-class', message: '"dog" has only 6 training images; about 10 or more train much better. Label more photos of it.' },
    { code: 'imbalance', message: 'The classes are imbalanced (6 to 32 training images). Use balanced class weights, or label more of the small classes.' },
  ],
};

beforeEach(() => {
  setActivePinia(createPinia());
  check = unsplit;
  api = fakeApi({
    'training.check': () => check,
    'splits.assign': (params) => {
      check = split;
      return { perClass: [], totals: { train: 38 * params.train, validation: 5, test: 5, none: 0 } };
    },
  });
  setApiClient(api);
  useLibraryStore().classes = [
    { id: 11, name: 'cat', color: '#f00', sortOrder: 0, hotkey: 1, imageCount: 40 },
    { id: 12, name: 'dog', color: '#0f0', sortOrder: 1, hotkey: 2, imageCount: 8 },
  ];
});

async function mountCheck(): Promise<VueWrapper> {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:any(.*)', component: { template: '<div />' } }] });
  await useDatasetCheckStore().refresh();
  const wrapper = mount(DataCheck, { global: { plugins: [router] } });
  await flushPromises();
  return wrapper;
}

describe('DataCheck', () => {
  it('offers to assign splits for a project without them, calls splits.assign with the draft seed and checks again', async () => {
    const wrapper = await mountCheck();
    expect(wrapper.get('[data-testid="data-check-verdict"]').text()).toContain('One thing to fix');
    expect(wrapper.get('[data-testid="issue-unlabelled"] a').attributes('href')).toBe('/label?filter=unlabelled');
    useTrainingDraftStore().config.seed = 1234;
    await wrapper.get('[data-testid="fix-assign-splits"]').trigger('click');
    await flushPromises();
    expect(api.calls.filter((c) => c.name === 'splits.assign').map((c) => c.params)).toEqual([{ train: 0.8, validation: 0.1, test: 0.1, seed: 1234 }]);
    expect(api.calls.filter((c) => c.name === 'training.check')).toHaveLength(2);
    expect(wrapper.get('[data-testid="data-check-verdict"]').text()).toContain('Ready to train: 2 classes · 38 train · 5 validation · 5 test images.');
    expect(wrapper.get('[data-testid="fix-note"]').text()).toContain('seed 1234');
  });

  it('links a tiny class to the Label view filtered to it, and turns on balanced class weights', async () => {
    check = split;
    const wrapper = await mountCheck();
    const tiny = wrapper.get('[data-testid="issue-tiny-class"]');
    expect(tiny.get('a').text()).toBe('Show "dog"');
    expect(tiny.get('a').attributes('href')).toBe('/label?class=12');
    const draft = useTrainingDraftStore();
    await wrapper.get('[data-testid="fix-balanced-weights"]').trigger('click');
    expect(draft.config.classWeights).toEqual({ kind: 'balanced' });
    expect(wrapper.get('[data-testid="fix-balanced-weights"]').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="issue-imbalance"] a').attributes('href')).toBe('/label?class=12');
  });

  it('shows counts per class and split as a chart and a table', async () => {
    check = split;
    const wrapper = await mountCheck();
    const rows = wrapper.get('[data-testid="class-count-table"]').findAll('tbody tr').map((r) => r.findAll('th, td').map((c) => c.text()));
    expect(rows).toEqual([
      ['cat', '32', '4', '4', '0'],
      ['dog', '6', '1', '1', '0'],
    ]);
    const chart = wrapper.get('[data-testid="class-count-chart"]');
    expect(chart.get('[role="img"]').attributes('aria-label')).toContain('dog: 6 train, 1 validation, 1 test');
    expect(chart.findAll('.segment.train')[0]!.attributes('style')).toContain('width: 80%');
  });

  it('says what to do in an empty project, and when the check fails', async () => {
    check = { classes: [], unlabelled: 0, missing: 0, problems: [{ code: 'too-few-classes', message: 'Training needs at least two classes.' }], warnings: [] };
    const wrapper = await mountCheck();
    expect(wrapper.get('[data-testid="data-check-empty"]').text()).toContain('No labelled photos yet');
    api.handlers['training.check'] = () => {
      throw new Error('No project is open.');
    };
    await wrapper.get('[data-testid="data-check-refresh"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toContain('No project is open.');
  });
});
