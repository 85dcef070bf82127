import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SplitCounts, SplitSettings } from '../../../src-main/api/types/library';
import { ApiCallError } from '../api/api-client';
import { setApiClient } from '../api/use-api';
import SplitEditor from './SplitEditor.vue';
import { fakeApi, type FakeApi } from '../test-support/fake-api';

const counts: SplitCounts = {
  perClass: [
    { classId: 1, name: 'cat', train: 8, validation: 1, test: 1, none: 0 },
    { classId: 2, name: 'dog', train: 4, validation: 0, test: 1, none: 2 },
  ],
  totals: { train: 12, validation: 1, test: 2, none: 2 },
};
const settings: SplitSettings = { train: 0.7, validation: 0.2, test: 0.1, seed: 7, assignedAt: '2025-03-01T10:00:00.000Z' };

let api: FakeApi;
beforeEach(() => {
  setActivePinia(createPinia());
  api = fakeApi({ 'splits.summary': () => ({ counts, settings }), 'splits.assign': () => counts });
  setApiClient(api);
});

const value = (wrapper: ReturnType<typeof mount>, id: string) => (wrapper.get(`[data-testid="${id}"]`).element as HTMLInputElement).value;

describe('SplitEditor', () => {
  it('starts from the settings last used and shows the per-class table with totals', async () => {
    const wrapper = mount(SplitEditor);
    await flushPromises();
    expect([value(wrapper, 'split-train'), value(wrapper, 'split-validation'), value(wrapper, 'split-test'), value(wrapper, 'split-seed')]).toEqual(['70', '20', '10', '7']);
    expect(wrapper.get('[data-testid="split-settings"]').text()).toContain('70% / 20% / 10%, seed 7');
    const table = wrapper.get('[data-testid="split-table"]');
    const cells = (row: string) => table.get(`[data-testid="${row}"]`).findAll('th, td').map((c) => c.text());
    expect(cells('split-row-dog')).toEqual(['dog', '4', '0', '1', '2', '7']);
    expect(cells('split-totals')).toEqual(['Total', '12 80%', '1 7%', '2 13%', '2', '17']);
    expect(table.get('[data-testid="split-row-dog"] td.thin').text()).toBe('0');
    expect(wrapper.text()).toContain('2 labelled images have no split yet');
  });

  it('refuses percentages that do not add up to 100, inline', async () => {
    const wrapper = mount(SplitEditor);
    await flushPromises();
    await wrapper.get('[data-testid="split-test"]').setValue('15');
    expect(wrapper.get('[data-testid="split-error"]').text()).toBe('The percentages add up to 105%; they must add up to 100%.');
    expect(wrapper.get('[data-testid="split-assign"]').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="split-train"]').attributes('aria-invalid')).toBe('true');
    await wrapper.get('form').trigger('submit');
    expect(api.calls.some((c) => c.name === 'splits.assign')).toBe(false);
  });

  it('sends fractions and the seed to splits.assign', async () => {
    const wrapper = mount(SplitEditor);
    await flushPromises();
    await wrapper.get('[data-testid="split-train"]').setValue('60');
    await wrapper.get('[data-testid="split-validation"]').setValue('25');
    await wrapper.get('[data-testid="split-test"]').setValue('15');
    await wrapper.get('[data-testid="split-seed"]').setValue('123');
    expect(wrapper.get('[data-testid="split-error"]').text()).toBe('');
    await wrapper.get('[data-testid="split-assign"]').trigger('submit');
    await flushPromises();
    expect(api.calls.find((c) => c.name === 'splits.assign')?.params).toEqual({ train: 0.6, validation: 0.25, test: 0.15, seed: 123 });
    expect(wrapper.get('[data-testid="split-assigned"]').text()).toBe('Assigned: 12 train, 1 validation, 2 test.');
  });

  it('refreshes its table on library.changed and stops listening when unmounted', async () => {
    const wrapper = mount(SplitEditor);
    await flushPromises();
    const before = api.calls.length;
    api.emit('library.changed', { reason: 'labels' });
    await flushPromises();
    expect(api.calls.length).toBe(before + 1);
    wrapper.unmount();
    expect(api.listeners('library.changed')).toBe(0);
  });

  it('shows a refused assignment in an alert', async () => {
    api = fakeApi({
      'splits.summary': () => ({ counts, settings: null }),
      'splits.assign': () => Promise.reject(new ApiCallError({ code: 'bad-request', message: 'Split fractions must add up to 1.' })),
    });
    setApiClient(api);
    const wrapper = mount(SplitEditor);
    await flushPromises();
    expect(value(wrapper, 'split-train')).toBe('80');
    expect(wrapper.get('[data-testid="split-settings"]').text()).toContain('Splits have not been assigned yet.');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toBe('Split fractions must add up to 1.');
  });
});
