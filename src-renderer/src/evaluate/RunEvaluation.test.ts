import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PredictionItem, PredictionQuery } from '../../../src-main/api/types/runs';
import { setApiClient } from '../api/use-api';
import { fakeApi, type FakeApi } from '../test-support/fake-api';
import { fakeJobs, type FakeJobs } from '../test-support/fake-jobs';
import { report, runDetail } from '../test-support/run-fixtures';
import { useJobsStore } from '../stores/useJobsStore';
import RunEvaluation from './RunEvaluation.vue';

let api: FakeApi;
let jobs: FakeJobs;
let labels: Map<number, string>;

const evaluation = { id: 31, split: 'test' as const, checkpoint: 'best' as const, report: report([[3, 1], [2, 4]]), createdAt: '2026-01-02T10:06:00.000Z' };

/** Ten predictions over the two classes; every third one is wrong. */
const predictions: Omit<PredictionItem, 'currentLabel'>[] = Array.from({ length: 10 }, (_, i) => ({
  imageId: 100 + i,
  path: `/photos/img${i}.jpg`,
  thumbUrl: `/media/thumb/${100 + i}?size=256`,
  originalUrl: `/media/original/${100 + i}`,
  label: i % 2,
  predicted: i % 3 === 0 ? 1 - (i % 2) : i % 2,
  probability: 0.9 - i * 0.05,
  loss: 2 - i * 0.1,
  probabilities: [0.5, 0.5],
}));

function page(query: PredictionQuery) {
  const matching = predictions.filter(
    (p) =>
      (!query.misclassified || p.predicted !== p.label) &&
      (query.trueClass === undefined || p.label === query.trueClass) &&
      (query.predictedClass === undefined || p.predicted === query.predictedClass),
  );
  const items = matching.slice(query.offset ?? 0, (query.offset ?? 0) + (query.limit ?? 100)).map((p) => ({ ...p, currentLabel: labels.get(p.imageId) ?? null }));
  return { total: matching.length, offset: query.offset ?? 0, items };
}

beforeEach(() => {
  setActivePinia(createPinia());
  labels = new Map(predictions.map((p) => [p.imageId, ['cat', 'dog'][p.label]!]));
  api = fakeApi({
    'runs.get': () => runDetail({ evaluations: [{ ...evaluation, id: 30, split: 'validation' }, evaluation] }),
    'runs.predictions': page,
    'library.counts': () => ({ total: 10, labelled: 10, unlabelled: 0, missing: 0, perClass: {} }),
    // The library lists dog first, with ids that are not the run's class indexes.
    'classes.list': () => [
      { id: 52, name: 'dog', color: '#0000ff', sortOrder: 0, hotkey: 1, imageCount: 5 },
      { id: 51, name: 'cat', color: '#ff0000', sortOrder: 1, hotkey: 2, imageCount: 5 },
    ],
    'labels.assign': ({ imageIds, classId }) => {
      for (const id of imageIds) labels.set(id, classId === 51 ? 'cat' : 'dog');
      return { changed: imageIds.length, unknown: 0, undo: { canUndo: true, canRedo: false, undoSummary: 'label', redoSummary: null } };
    },
    'labels.undo': () => ({ kind: 'assign', summary: 'label 1 image as "dog"', imagesChanged: 1, state: { canUndo: false, canRedo: true, undoSummary: null, redoSummary: 'x' } }),
    'runs.gradCam': ({ classIndex }) => ({ classIndex: classIndex ?? 0, probabilities: [0.3, 0.7], layer: 'out_relu', heatmap: 'data:image/png;base64,AAAA' }),
  });
  jobs = fakeJobs(api);
  setApiClient(api);
});

async function mountEvaluation() {
  const wrapper = mount(RunEvaluation, { props: { runId: 7 }, attachTo: document.body });
  await flushPromises();
  return wrapper;
}

const queries = () => api.calls.filter((c) => c.name === 'runs.predictions').map((c) => c.params as PredictionQuery);

describe('RunEvaluation', () => {
  it('shows the newest test evaluation: accuracy, per-class table and the confusion matrix', async () => {
    const wrapper = await mountEvaluation();
    expect(wrapper.get('[data-testid="evaluation-accuracy"]').text()).toBe('70.0%');
    expect(wrapper.get('[data-testid="class-report-1"]').text()).toContain('dog');
    expect(wrapper.get('[data-testid="confusion-cell-1-0"]').text()).toBe('2');
    expect(wrapper.get('[data-testid="confusion-cell-1-0"]').attributes('aria-label')).toBe('2 images of dog predicted as cat (33%)');
    expect(queries()[0]).toEqual({ evaluationId: 31, orderBy: 'loss', offset: 0, limit: 60, misclassified: true });
    wrapper.unmount();
  });

  it('opens the images of a confusion-matrix cell in the gallery', async () => {
    const wrapper = await mountEvaluation();
    await wrapper.get('[data-testid="confusion-cell-1-0"]').trigger('click');
    await flushPromises();
    expect(queries().at(-1)).toEqual({ evaluationId: 31, orderBy: 'loss', offset: 0, limit: 60, trueClass: 1, predictedClass: 0 });
    const items = wrapper.findAll('[data-testid="gallery-item"]');
    expect(items.map((i) => i.attributes('data-image-id'))).toEqual(['103', '109']);
    expect(items[0]!.get('[data-testid="gallery-true"]').text()).toBe('dog');
    expect(items[0]!.get('[data-testid="gallery-predicted"]').text()).toBe('cat');
    expect(items[0]!.get('.prob').text()).toBe('75%');
    expect(wrapper.get('[data-testid="gallery-filter"]').text()).toContain('dog predicted as cat');
    expect(wrapper.get('[data-testid="confusion-cell-1-0"]').attributes('aria-pressed')).toBe('true');
    wrapper.unmount();
  });

  it('relabels the focused image with one key, by the library id of the class name, and undoes it', async () => {
    const wrapper = await mountEvaluation();
    const first = wrapper.findAll('[data-testid="gallery-item"]')[0]!;
    expect(first.attributes('data-image-id')).toBe('100');
    // Image 100 is a cat the model called a dog: key 2 is the run's second class, "dog" — library id 52.
    await first.trigger('keydown', { key: '2' });
    await flushPromises();
    expect(api.calls.find((c) => c.name === 'labels.assign')?.params).toEqual({ imageIds: [100], classId: 52 });
    expect(wrapper.get('[data-testid="relabel-message"]').text()).toBe('Labelled img0.jpg as dog.');
    expect(wrapper.findAll('[data-testid="gallery-item"]')[0]!.get('[data-testid="gallery-now"]').text()).toBe('now dog');

    await wrapper.get('[data-testid="relabel-undo"]').trigger('click');
    await flushPromises();
    expect(api.calls.some((c) => c.name === 'labels.undo')).toBe(true);
    expect(wrapper.get('[data-testid="relabel-message"]').text()).toBe('Undone: label 1 image as "dog".');
    wrapper.unmount();
  });

  it('relabels as predicted with P or a click, and to a class button', async () => {
    const wrapper = await mountEvaluation();
    await wrapper.findAll('[data-testid="gallery-item"]')[1]!.trigger('click');
    await flushPromises();
    const focusedId = Number(wrapper.findAll('[data-testid="gallery-item"]')[1]!.attributes('data-image-id'));
    await wrapper.get('[data-testid="relabel-predicted"]').trigger('click');
    await flushPromises();
    const predicted = predictions.find((p) => p.imageId === focusedId)!.predicted;
    expect(api.calls.filter((c) => c.name === 'labels.assign').at(-1)?.params).toEqual({ imageIds: [focusedId], classId: predicted === 0 ? 51 : 52 });
    await wrapper.get('[data-testid="relabel-0"]').trigger('click');
    await flushPromises();
    expect((api.calls.filter((c) => c.name === 'labels.assign').at(-1)?.params as { classId: number }).classId).toBe(51);
    wrapper.unmount();
  });

  it('explains the selected image with Grad-CAM for the chosen class', async () => {
    const wrapper = await mountEvaluation();
    await flushPromises();
    const cam = api.calls.filter((c) => c.name === 'runs.gradCam');
    expect(cam[0]?.params).toEqual({ runId: 7, checkpoint: 'best', imageId: 100, classIndex: 1 });
    expect(wrapper.get('[data-testid="grad-cam-overlay"]').attributes('src')).toBe('data:image/png;base64,AAAA');
    await wrapper.get('[data-testid="grad-cam-opacity"]').setValue('0.2');
    expect(wrapper.get('[data-testid="grad-cam-overlay"]').attributes('style')).toContain('opacity: 0.2');
    await wrapper.get('[data-testid="grad-cam-class"]').setValue('0');
    await flushPromises();
    expect(api.calls.filter((c) => c.name === 'runs.gradCam').at(-1)?.params).toMatchObject({ imageId: 100, classIndex: 0 });
    wrapper.unmount();
  });

  it('evaluates another split as a job and shows the new evaluation when it is recorded', async () => {
    await useJobsStore().follow();
    api.handlers['runs.evaluate'] = (params) => ({ jobId: jobs.start('evaluate', params) });
    const wrapper = await mountEvaluation();
    await wrapper.get('[data-testid="evaluate-split"]').setValue('validation');
    await wrapper.get('[data-testid="evaluate-checkpoint"]').setValue('last');
    await wrapper.get('[data-testid="evaluate-start"]').trigger('click');
    await flushPromises();
    expect(api.calls.find((c) => c.name === 'runs.evaluate')?.params).toEqual({ runId: 7, split: 'validation', checkpoint: 'last' });
    jobs.progress<'evaluate'>('job-1', { done: 3, total: 6, message: 'Evaluated 3 of 6 images' });
    await flushPromises();
    expect(wrapper.get('[data-testid="evaluate-progress"]').text()).toContain('3 / 6 images');
    const added = { ...evaluation, id: 32, split: 'validation' as const, checkpoint: 'last' as const, report: report([[4, 0], [0, 2]]) };
    api.handlers['runs.get'] = () => runDetail({ evaluations: [evaluation, added] });
    jobs.finish<'evaluate'>('job-1', added);
    await flushPromises();
    expect(wrapper.get('[data-testid="evaluation-accuracy"]').text()).toBe('100.0%');
    expect(wrapper.get('[data-testid="evaluation-select"]').findAll('option').map((o) => o.text())[0]).toContain('validation split · last checkpoint');
    wrapper.unmount();
  });
});
