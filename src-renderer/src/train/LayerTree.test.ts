import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ModelSummary } from '../../../src-main/api/types/models';
import { setApiClient } from '../api/use-api';
import { useDatasetCheckStore } from '../stores/useDatasetCheckStore';
import { useTrainingDraftStore } from '../stores/useTrainingDraftStore';
import { fakeApi, type FakeApi } from '../test-support/fake-api';
import { bigInceptionSummary, smallMobileNetSummary } from '../test-support/model-summaries';
import LayerTree from './LayerTree.vue';

let api: FakeApi;
let summary: ModelSummary;

beforeEach(() => {
  setActivePinia(createPinia());
  summary = smallMobileNetSummary();
  api = fakeApi({ 'models.summary': () => summary });
  setApiClient(api);
  useDatasetCheckStore().check = {
    classes: ['cat', 'dog', 'fox'].map((name) => ({ name, train: 20, validation: 3, test: 3, unsplit: 0 })),
    unlabelled: 0,
    missing: 0,
    problems: [],
    warnings: [],
  };
});

async function mountTree(): Promise<VueWrapper> {
  const wrapper = mount(LayerTree, { attachTo: document.body });
  await flushPromises();
  return wrapper;
}

const number = (wrapper: VueWrapper, id: string) => Number(wrapper.get(`[data-testid="${id}"]`).text().replace(/,/g, ''));
/** The test ids of the tree's rows and its cut line, in screen order. */
const order = (wrapper: VueWrapper) => wrapper.get('[data-testid="layer-tree-rows"]').findAll('[data-testid]').map((e) => e.attributes('data-testid')).filter((id) => /^(block-|layer-|cut-line)/.test(id!));
const head = 1281 * 3;
const base = smallMobileNetSummary().totalParams;

describe('LayerTree', () => {
  it('asks for the base with the draft input size and pooling, and shows closed blocks with the head only', async () => {
    const draft = useTrainingDraftStore();
    draft.setBase('mobilenet_v2', 'bundled', 96);
    const wrapper = await mountTree();
    expect(api.calls.find((c) => c.name === 'models.summary')!.params).toEqual({ arch: 'mobilenet_v2', includeTop: false, pooling: 'avg', inputSize: 96 });
    expect(order(wrapper)).toEqual(['block-stem', 'block-block_1', 'block-block_2', 'block-block_3', 'block-Conv_1', 'cut-line']);
    expect(number(wrapper, 'total-trainable')).toBe(head);
    expect(number(wrapper, 'total-frozen')).toBe(base);
    expect(wrapper.get('[data-testid="preset-head-only"]').attributes('aria-pressed')).toBe('true');
    expect(wrapper.get('[data-testid="head-rows"]').text()).toContain('predictions');
  });

  it('unfreezes the last block with a preset: plan, totals and the cut line move', async () => {
    const wrapper = await mountTree();
    await wrapper.get('[data-testid="preset-last-block"]').trigger('click');
    const draft = useTrainingDraftStore();
    expect(draft.config.freeze).toEqual({ kind: 'from', block: 'Conv_1' });
    expect(draft.config.twoStage).toEqual({ fineTuneEpochs: 10, lrFactor: 0.1 });
    expect(number(wrapper, 'total-trainable')).toBe(head + 32 * 1280 + 2 * 1280);
    expect(number(wrapper, 'total-frozen') + number(wrapper, 'total-trainable')).toBe(base + head);
    expect(order(wrapper).slice(-2)).toEqual(['cut-line', 'block-Conv_1']);
    expect(wrapper.get('[data-testid="block-Conv_1"]').attributes('aria-checked')).toBe('false');
    expect(wrapper.get('[data-testid="freeze-Conv_1"]').classes()).not.toContain('checked');
    expect(wrapper.get('[data-testid="freeze-block_3"]').classes()).toContain('checked');
    await wrapper.get('[data-testid="preset-all"]').trigger('click');
    expect(draft.config.freeze).toEqual({ kind: 'all' });
    expect(order(wrapper)[0]).toBe('cut-line');
    expect(wrapper.get('[data-testid="cut-line"]').text()).toContain('Nothing to cache');
  });

  it('propagates a block checkbox to its layers and shows a partly frozen block as mixed', async () => {
    const wrapper = await mountTree();
    const draft = useTrainingDraftStore();
    await wrapper.get('[data-testid="freeze-block_2"]').trigger('click');
    expect(draft.config.freeze).toEqual({ kind: 'blocks', blocks: ['block_2'] });
    await wrapper.get('[data-testid="block-block_2"] .chevron').trigger('click');
    expect(wrapper.get('[data-testid="layer-block_2_project"]').attributes('aria-checked')).toBe('false');
    expect(wrapper.get('[data-testid="layer-block_2_add"]').attributes('aria-checked')).toBeUndefined();
    await wrapper.get('[data-testid="freeze-block_2_expand"]').trigger('click');
    expect(wrapper.get('[data-testid="block-block_2"]').attributes('aria-checked')).toBe('mixed');
    expect(wrapper.get('[data-testid="freeze-block_2"]').classes()).toContain('mixed');
    expect(wrapper.get('[data-testid="freeze-block_2_expand"]').classes()).toContain('checked');
    expect(wrapper.get('[data-testid="freeze-block_2_project"]').classes()).not.toContain('checked');
    expect(draft.config.freeze).toEqual({ kind: 'layers', layers: ['block_2_expand_BN', 'block_2_project', 'block_2_project_BN'] });
    // The cut sits inside the open block, right above its first trainable layer.
    const ids = order(wrapper);
    expect(ids[ids.indexOf('cut-line') + 1]).toBe('layer-block_2_expand_BN');
    // A mixed block's checkbox unfreezes the whole block.
    await wrapper.get('[data-testid="freeze-block_2"]').trigger('click');
    expect(draft.config.freeze).toEqual({ kind: 'blocks', blocks: ['block_2'] });
  });

  it('works from the keyboard: arrows move and open, Space freezes, F freezes up to here', async () => {
    const wrapper = await mountTree();
    const draft = useTrainingDraftStore();
    const tree = wrapper.get('[role="tree"]');
    const rows = () => wrapper.findAll('[role="treeitem"]');
    expect(rows().filter((r) => r.attributes('tabindex') === '0')).toHaveLength(1);
    await rows()[0]!.trigger('focus');
    for (const key of ['End', 'ArrowUp']) await tree.trigger('keydown', { key });
    expect(document.activeElement?.getAttribute('data-testid')).toBe('block-block_3');
    await tree.trigger('keydown', { key: 'ArrowRight' });
    expect(wrapper.get('[data-testid="block-block_3"]').attributes('aria-expanded')).toBe('true');
    await tree.trigger('keydown', { key: 'ArrowRight' });
    expect(document.activeElement?.getAttribute('data-testid')).toBe('layer-block_3_expand');
    await tree.trigger('keydown', { key: ' ' });
    expect(draft.config.freeze).toEqual({ kind: 'layers', layers: ['block_3_expand'] });
    await tree.trigger('keydown', { key: 'ArrowDown' });
    await tree.trigger('keydown', { key: 'ArrowDown' });
    await tree.trigger('keydown', { key: 'F' });
    // block_3_expand_relu and everything before it frozen; the rest trains.
    expect(draft.config.freeze).toEqual({ kind: 'layers', layers: ['block_3_project', 'block_3_project_BN', 'Conv_1', 'Conv_1_bn'] });
    await tree.trigger('keydown', { key: 'ArrowLeft' });
    expect(document.activeElement?.getAttribute('data-testid')).toBe('block-block_3');
    await tree.trigger('keydown', { key: 'ArrowLeft' });
    expect(wrapper.get('[data-testid="block-block_3"]').attributes('aria-expanded')).toBe('false');
  });

  it('explains frozen BatchNormalization on its rows', async () => {
    const wrapper = await mountTree();
    await wrapper.get('[data-testid="block-Conv_1"] .chevron').trigger('click');
    const bn = wrapper.get('[data-testid="layer-Conv_1_bn"]');
    expect(bn.get('[role="tooltip"]').text()).toContain('inference mode');
    expect(bn.attributes('aria-label')).toContain('frozen BatchNormalization runs in inference mode');
    expect(wrapper.get('[data-testid="layer-Conv_1"]').find('[role="tooltip"]').exists()).toBe(false);
  });

  it('renders only the block rows of a 311-layer base until one opens', async () => {
    summary = bigInceptionSummary();
    useTrainingDraftStore().setBase('inception_v3', 'bundled', 299);
    const wrapper = await mountTree();
    expect(wrapper.findAll('[role="treeitem"]')).toHaveLength(12);
    await wrapper.get('[data-testid="block-mixed7"] .chevron').trigger('click');
    expect(wrapper.findAll('[role="treeitem"]')).toHaveLength(12 + 25);
  });

  it('says so when the layers cannot be listed, and tries again', async () => {
    api.handlers['models.summary'] = () => {
      throw new Error('The engine is restarting.');
    };
    const wrapper = await mountTree();
    expect(wrapper.get('[role="alert"]').text()).toContain('The engine is restarting.');
    api.handlers['models.summary'] = () => summary;
    await wrapper.get('[role="alert"] button').trigger('click');
    await flushPromises();
    expect(wrapper.findAll('[role="treeitem"]')).toHaveLength(5);
  });
});
