import { defineComponent, h } from 'vue';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkNumber } from '../components/number-check';
import { provideFieldValidity } from '../components/field-validity';
import { setApiClient } from '../api/use-api';
import { useTrainingDraftStore } from '../stores/useTrainingDraftStore';
import { fakeApi } from '../test-support/fake-api';
import RunSettings from './RunSettings.vue';
import { BOUNDS, configProblems } from './settings-validation';
import { defaultTrainingConfig } from './training-defaults';

describe('checkNumber', () => {
  it('accepts values inside the parser bounds, edges included', () => {
    expect(checkNumber('1', BOUNDS.epochs)).toEqual({ ok: true, value: 1 });
    expect(checkNumber('10000', BOUNDS.epochs)).toEqual({ ok: true, value: 10_000 });
    expect(checkNumber(' 3e-3 ', BOUNDS.learningRate)).toEqual({ ok: true, value: 0.003 });
    expect(checkNumber('0.5', BOUNDS.labelSmoothing)).toEqual({ ok: true, value: 0.5 });
    expect(checkNumber('4294967295', BOUNDS.seed)).toEqual({ ok: true, value: 2 ** 32 - 1 });
  });

  it('says what is wrong otherwise', () => {
    expect(checkNumber('', BOUNDS.epochs)).toEqual({ ok: false, message: 'Enter a value.' });
    expect(checkNumber('ten', BOUNDS.epochs)).toMatchObject({ ok: false, message: 'Enter a number, e.g. 0.001 or 1e-3.' });
    expect(checkNumber('2.5', BOUNDS.batchSize)).toEqual({ ok: false, message: 'Enter a whole number from 1 to 4,096.' });
    expect(checkNumber('0', BOUNDS.epochs)).toEqual({ ok: false, message: 'Enter a whole number from 1 to 10,000.' });
    expect(checkNumber('0.96', BOUNDS.dropout)).toEqual({ ok: false, message: 'Enter a number from 0 to 0.95.' });
    expect(checkNumber('0', BOUNDS.learningRate)).toEqual({ ok: false, message: 'Enter a number from 1e-10 to 10.' });
    expect(checkNumber('0.6', BOUNDS.labelSmoothing).ok).toBe(false);
    expect(checkNumber('65', BOUNDS.variants).ok).toBe(false);
  });
});

describe('configProblems', () => {
  const context = { minInputSize: 75, classes: 3 };
  it('checks what spans fields', () => {
    const config = defaultTrainingConfig();
    expect(configProblems(config, { minInputSize: 32, classes: 3 })).toEqual([]);
    config.base = { arch: 'inception_v3', weights: { file: ' ' }, inputSize: 64 };
    config.head.output = 'sigmoid';
    const problems = configProblems(config, context);
    expect(problems.map((p) => p.step)).toEqual(['base', 'base', 'settings']);
    expect(problems[0]!.message).toBe('The input size must be at least 75 px for this architecture.');
    expect(problems[2]!.message).toContain('exactly two classes; this project has 3');
    config.base.weights = 'none';
    expect(configProblems(config, context).some((p) => p.step === 'layers')).toBe(true);
  });
});

describe('inline validation in the settings', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    setApiClient(fakeApi());
  });

  const mountWithReporter = () => {
    const draft = useTrainingDraftStore();
    const Host = defineComponent({
      setup() {
        provideFieldValidity(draft.markField);
        return () => h(RunSettings);
      },
    });
    return { draft, wrapper: mount(Host) };
  };

  it('keeps the last valid value, shows the reason and holds Train back until the text is fixed', async () => {
    const { draft, wrapper } = mountWithReporter();
    const epochs = wrapper.get('[data-testid="epochs"]');
    await epochs.setValue('0');
    expect(wrapper.text()).toContain('Enter a whole number from 1 to 10,000.');
    expect(epochs.attributes('aria-invalid')).toBe('true');
    expect(draft.config.epochs).toBe(10);
    expect(draft.invalidFields).toEqual({ epochs: 'Enter a whole number from 1 to 10,000.' });
    await epochs.setValue('3');
    expect(draft.config.epochs).toBe(3);
    expect(draft.hasInvalidFields).toBe(false);
    expect(wrapper.find('[role="alert"]').exists()).toBe(false);
  });

  it('offers two-stage only when blocks unfreeze, and forgets invalid text of a field that goes away', async () => {
    const { draft, wrapper } = mountWithReporter();
    expect(wrapper.get('[data-testid="two-stage"]').attributes('disabled')).toBeDefined();
    draft.setFreeze({ kind: 'from', block: 'Conv_1' });
    await flushPromises();
    expect((wrapper.get('[data-testid="two-stage"]').element as HTMLInputElement).checked).toBe(true);
    await wrapper.get('[data-testid="fine-tune-epochs"]').setValue('');
    expect(draft.invalidFields).toHaveProperty('fine-tune-epochs');
    await wrapper.get('[data-testid="two-stage"]').setValue(false);
    expect(draft.config.twoStage).toBeNull();
    expect(draft.hasInvalidFields).toBe(false);
  });
});
