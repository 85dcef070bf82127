import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ModelInfo, ModelSummary } from '../../api/types/models';
import { createDispatcher } from '../../api/dispatcher';
import { forkSpawner } from '../../engine/host/engine-process';
import { AppContext } from '../app-context';
import { createHandlers } from './handlers';

const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'engine', 'worker', 'engine-main.ts');
const ctx = new AppContext({
  mode: 'serve',
  spawnEngine: forkSpawner(entry, { execArgv: ['--import', 'tsx'], env: { ...process.env, GRAFT_BACKEND: '@tensorflow/tfjs-backend-wasm' } }),
  logError: (message, error) => console.error(message, error),
});
const dispatcher = createDispatcher(createHandlers(ctx), (message, error) => console.error(message, error));
afterAll(() => ctx.dispose());

describe('models API', () => {
  it('lists the architectures without starting the engine', async () => {
    const reply = await dispatcher.dispatch('models.list', undefined);
    expect(reply.ok).toBe(true);
    const models = (reply as { value: ModelInfo[] }).value;
    expect(models.map((m) => m.arch)).toEqual(['vgg16', 'resnet50', 'inception_v3', 'mobilenet_v2']);
    expect(models[3]).toMatchObject({
      name: 'MobileNetV2 (alpha 1.0)',
      defaultInputSize: 224,
      params: { withTop: 3_538_984, withoutTop: 2_257_984 },
      weightSources: ['imagenet', 'file', 'bundled'],
      bundled: { name: 'nsfwjs-mobilenet-v2', inputSize: 224 },
    });
    expect(models[0]!.bundled).toBeNull();
    expect(ctx.engine.status().state).toBe('stopped');
  });

  it('summarises a built model in the engine, as graft model-summary --json does', async () => {
    const reply = await dispatcher.dispatch('models.summary', { arch: 'mobilenet_v2', includeTop: false, pooling: 'avg', inputSize: 96 });
    expect(reply).toMatchObject({ ok: true });
    const summary = (reply as { value: ModelSummary }).value;
    expect(summary).toMatchObject({ arch: 'mobilenet_v2', inputShape: [96, 96, 3], includeTop: false, pooling: 'avg', classes: null, totalParams: 2_257_984, layers: 155 });
    expect(summary.blocks[0]).toMatchObject({ name: 'stem' });
  });

  it.each([
    [{ arch: 'alexnet', includeTop: true }, /"arch" must be one of "vgg16", "resnet50"/],
    [{ arch: 'vgg16' }, /"includeTop" must be true or false/],
    [{ arch: 'inception_v3', includeTop: false, inputSize: 64 }, /at least 75×75/],
  ])('answers bad options %j with a bad-request error', async (params, message) => {
    expect(await dispatcher.dispatch('models.summary', params)).toEqual({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(message) } });
  });
});
