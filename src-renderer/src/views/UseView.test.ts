import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import type { ImportedModel, ModelImportParams, PredictedImage, PredictFilesParams, PredictFilesResult } from '../../../src-main/api/types/predict';
import type { RunSummary } from '../../../src-main/api/types/runs';
import { ApiCallError } from '../api/api-client';
import { setApiClient } from '../api/use-api';
import { useAppStore } from '../stores/useAppStore';
import { useJobsStore } from '../stores/useJobsStore';
import { fakeApi, type FakeApi } from '../test-support/fake-api';
import { fakeJobs, type FakeJobs } from '../test-support/fake-jobs';
import { runDetail } from '../test-support/run-fixtures';
import UseView from './UseView.vue';

let api: FakeApi;
let jobs: FakeJobs;
let wrapper: VueWrapper | null = null;
let imported: ImportedModel[];

const CLASSES = ['cat', 'dog'];
const { config: _c, dir: _d, checkpoints: _k, history: _h, batches: _b, cache: _x, splitCounts: _s, evaluations: _e, ...summary } = runDetail({ id: 3, name: 'Run 3' });
const run: RunSummary = summary;

function predicted(path: string, cat: number): PredictedImage {
  const probabilities = [cat, 1 - cat];
  const top = probabilities.map((probability, classIndex) => ({ classIndex, label: CLASSES[classIndex]!, probability })).sort((a, b) => b.probability - a.probability);
  return { path, top, probabilities, margin: Math.abs(2 * cat - 1), entropy: 0.5 };
}

function result(over: Partial<PredictFilesResult> = {}): PredictFilesResult {
  return {
    model: { format: 'checkpoint', file: '/project/runs/run-0003/checkpoints/best', files: [], classes: CLASSES, preprocessing: null as never, assumptions: [] },
    results: [predicted('/tmp/graft-uploads-0/u1/kitten.jpg', 0.96), predicted('/photos/b.jpg', 0.3), predicted('/photos/c.jpg', 0.58)],
    unreadable: [{ path: '/photos/broken.jpg', reason: 'not an image: the file is cut short' }],
    runtime: 'onnx',
    runtimeDetails: 'onnxruntime-node 1.30.0, cpu, 1 thread',
    fallbackReason: null,
    seconds: 1.5,
    imagesPerSecond: 2,
    csvPath: null,
    images: 4,
    ...over,
  };
}

const modelImport = (over: Partial<ImportedModel> = {}): ImportedModel => ({
  id: 9,
  name: 'pets-tfjs',
  format: 'tfjs',
  path: '/project/models/model-9/model.json',
  copied: true,
  classes: ['Cat', 'fox'],
  classMap: { Cat: 'cat', fox: 'dog' },
  preprocessing: null as never,
  assumptions: [],
  sourcePath: '/exports/pets-tfjs',
  createdAt: '2026-01-03T00:00:00.000Z',
  ...over,
});

const params = (name: string) => api.calls.filter((c) => c.name === name).map((c) => c.params);

async function mountView(mode: 'serve' | 'electron' = 'serve') {
  useAppStore().info = { version: '0.1.0', mode, canPickFolder: mode === 'electron' };
  useAppStore().project = { dir: '/project', name: 'project', schemaVersion: 9, createdAt: '2026-01-01T00:00:00.000Z' };
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/use', component: UseView }, { path: '/:any(.*)', component: { template: '<div />' } }] });
  await router.push('/use');
  wrapper = mount(UseView, { global: { plugins: [router] }, attachTo: document.body });
  await flushPromises();
  return wrapper;
}

beforeEach(() => {
  setActivePinia(createPinia());
  imported = [];
  api = fakeApi({
    'runs.list': () => [run],
    'models.imported': () => imported,
    'library.counts': () => ({ total: 4, labelled: 2, unlabelled: 2, missing: 0, perClass: {} }),
    'classes.list': () => CLASSES.map((name, i) => ({ id: i + 1, name, color: i ? '#2255aa' : '#aa5522', sortOrder: i, hotkey: i + 1, imageCount: 1 })),
    'predict.files': (p: PredictFilesParams) => ({ jobId: jobs.start('predict', p, 'Predict') }),
    'predict.upload': ({ fileName }) => ({ path: `/tmp/graft-uploads-0/u1/${fileName}` }),
    'project.pickFolder': () => '/home/me/holiday',
  });
  jobs = fakeJobs(api);
  setApiClient(api);
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  document.body.innerHTML = '';
});

describe('UseView', () => {
  it('predicts a dropped photo and a server folder with the newest run, with progress and Cancel, then shows the grid, the runtime and what could not be read', async () => {
    const view = await mountView();
    expect((view.get('[data-testid="use-model"]').element as HTMLSelectElement).value).toBe('run:3');
    expect(view.get('[data-testid="use-model-classes"]').text()).toBe('Classes: cat, dog');
    expect(view.get('[data-testid="use-start"]').attributes('disabled')).toBeDefined();
    // The desktop folder dialog is not offered in a browser.
    expect(view.find('[data-testid="use-pick-folder"]').exists()).toBe(false);

    const kitten = new File([new Uint8Array([1, 2, 3])], 'kitten.jpg', { type: 'image/jpeg' });
    const notes = new File(['x'], 'notes.txt', { type: 'text/plain' });
    const drop = new Event('drop', { bubbles: true, cancelable: true }) as DragEvent;
    Object.defineProperty(drop, 'dataTransfer', { value: { files: [kitten, notes], items: [] } });
    view.get('[data-testid="use-photos"]').element.dispatchEvent(drop);
    await flushPromises();
    expect(params('predict.upload')).toEqual([{ fileName: 'kitten.jpg', data: 'AQID' }]);
    expect(view.get('[data-testid="use-refused"]').text()).toContain('notes.txt not sent: not a photo');
    await view.get('[data-testid="use-path"]').setValue('/photos');
    await view.get('[data-testid="use-path-add"]').trigger('click');
    expect(view.findAll('[data-testid="use-source"] .name').map((s) => s.text())).toEqual(['kitten.jpg', '/photos']);
    expect(view.findAll('[data-testid="use-source"]')[0]!.text()).toContain('sent');

    await view.get('[data-testid="use-start"]').trigger('click');
    await flushPromises();
    expect(params('predict.files')).toEqual([{ paths: ['/tmp/graft-uploads-0/u1/kitten.jpg', '/photos'], model: { runId: 3 }, top: 5 }]);
    jobs.progress<'predict'>('job-1', { phase: 'images', done: 1, total: 4, perSecond: 2, message: 'Predicting…' });
    await flushPromises();
    expect(view.get('[data-testid="use-progress"]').text()).toContain('1 / 4 photos');
    await view.get('[data-testid="use-cancel"]').trigger('click');
    expect(params('jobs.cancel')).toEqual([{ jobId: 'job-1' }]);

    jobs.finish<'predict'>('job-1', result());
    await flushPromises();
    expect(view.find('[data-testid="use-progress"]').exists()).toBe(false);
    const tiles = view.findAll('[data-testid="use-tile"]');
    expect(tiles.map((t) => [t.get('[data-testid="use-tile-name"]').text(), t.get('[data-testid="use-tile-class"]').text(), t.get('[data-testid="use-tile-probability"]').text()])).toEqual([
      ['kitten.jpg', 'cat', '96%'],
      ['b.jpg', 'dog', '70%'],
      ['c.jpg', 'cat', '58%'],
    ]);
    // The dropped photo shows its picture from the page; a server file shows its name only.
    expect(tiles[0]!.find('img').exists()).toBe(true);
    expect(tiles[1]!.find('img').exists()).toBe(false);
    expect(view.get('[data-testid="use-runtime"]').text()).toBe('onnxruntime-node 1.30.0, cpu, 1 thread');
    expect(view.get('[data-testid="use-model-name"]').text()).toBe('Run 3 · best checkpoint · 2 classes');
    expect(view.get('[data-testid="use-unreadable"]').text()).toContain('broken.jpg');
    expect(view.get('[data-testid="use-unreadable"]').text()).toContain('the file is cut short');
  });

  it('filters by predicted class and by a confidence range, and orders least confident first', async () => {
    const id = jobs.start('predict', { paths: ['/photos'], model: { runId: 3 } });
    jobs.finish<'predict'>(id, result());
    await useJobsStore().follow();
    const view = await mountView();
    const names = () => view.findAll('[data-testid="use-tile-name"]').map((t) => t.text());
    await view.get('[data-testid="use-filter-class"]').setValue('cat');
    expect(names()).toEqual(['kitten.jpg', 'c.jpg']);
    await view.get('[data-testid="use-filter-max"]').setValue('90');
    expect(names()).toEqual(['c.jpg']);
    expect(view.get('[data-testid="use-shown-count"]').text()).toBe('1 of 3 shown');
    await view.get('[data-testid="use-filter-class"]').setValue('');
    await view.get('[data-testid="use-order"]').setValue('uncertain');
    expect(names()).toEqual(['c.jpg', 'b.jpg']);
  });

  it('finds a running prediction again after a reload, with its files', async () => {
    const id = jobs.start('predict', { paths: ['/photos/a', '/photos/b.jpg'], model: { runId: 3 } });
    jobs.progress<'predict'>(id, { phase: 'loading', done: 0, total: 0, perSecond: null, message: 'Loading the model…' });
    await useJobsStore().follow();
    const view = await mountView();
    expect(view.get('[data-testid="use-progress"]').text()).toContain('Loading the model…');
    expect(view.findAll('[data-testid="use-source"]').length).toBe(2);
    expect(view.get('[data-testid="use-start"]').text()).toBe('Predicting…');
  });

  it('imports a model whose classes differ: shows the refusal, maps the classes, and predicts with it', async () => {
    api.handlers['models.import'] = (p: ModelImportParams) => {
      if (!p.mapClasses) {
        throw new ApiCallError({
          code: 'bad-request',
          message:
            'The model\'s classes differ from the project\'s: the model has "Cat", "fox", which the project lacks; the project has "dog", which the model lacks. To import it anyway, say which project class each model class is (mapClasses: {"model class": "project class"}).',
        });
      }
      imported = [modelImport()];
      return imported[0]!;
    };
    const view = await mountView('electron');
    await view.get('[data-testid="model-import-open"]').trigger('click');
    await view.get('[data-testid="model-import-path"]').setValue('/exports/pets-tfjs');
    await view.get('[data-testid="model-import"]').trigger('submit');
    await flushPromises();
    expect(view.get('[data-testid="model-import-error"]').text()).toContain('the model has "Cat", "fox", which the project lacks');
    const targets = view.findAll('[data-testid="class-mapping-target"]');
    expect(view.findAll('[data-testid="class-mapping-row"]').map((r) => r.find('code').text())).toEqual(['Cat', 'fox']);
    expect((targets[0]!.element as HTMLSelectElement).value).toBe('cat');
    expect(view.get('[data-testid="class-mapping-import"]').attributes('disabled')).toBeDefined();
    await targets[1]!.setValue('dog');
    await view.get('[data-testid="class-mapping-import"]').trigger('click');
    await flushPromises();
    expect(params('models.import')).toEqual([{ path: '/exports/pets-tfjs' }, { path: '/exports/pets-tfjs', mapClasses: { Cat: 'cat', fox: 'dog' } }]);
    expect(view.find('[data-testid="model-import"]').exists()).toBe(false);
    expect((view.get('[data-testid="use-model"]').element as HTMLSelectElement).value).toBe('model:9');

    await view.get('[data-testid="use-pick-folder"]').trigger('click');
    await flushPromises();
    await view.get('[data-testid="use-start"]').trigger('click');
    await flushPromises();
    expect(params('predict.files')).toEqual([{ paths: ['/home/me/holiday'], model: { modelId: 9 }, top: 5 }]);
  });

  it('refuses a photo over 12 MB before sending it', async () => {
    const view = await mountView();
    const big = new File([new Uint8Array(12 * 1024 * 1024 + 1)], 'huge.jpg', { type: 'image/jpeg' });
    const input = view.get('[data-testid="use-file-input"]');
    Object.defineProperty(input.element, 'files', { value: [big], configurable: true });
    await input.trigger('change');
    await flushPromises();
    expect(params('predict.upload')).toEqual([]);
    expect(view.get('[data-testid="use-refused"]').text()).toContain('huge.jpg not sent: 12.0 MB, over the 12 MB a browser may send');
  });
});
