import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventMessage, ParamsOf, RequestName, ResultOf } from '../../api/contract';
import type { JobInfo } from '../../api/types/jobs';
import type { RunMetricsEvent } from '../../api/types/runs';
import { forkSpawner } from '../../engine/host/engine-process';
import { writeSeparableDataset } from '../../engine/training/test-support/separable-images';
import { createAppServices, type AppServices } from '../app-services';
import { makeTempDir, type TempDir } from '../library/library-fixtures';
import { headOnlyConfig } from '../../api/test-support/training-config';

const engineEntry = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'engine', 'worker', 'engine-main.ts');

let tmp: TempDir;
let services: AppServices;
const events: EventMessage[] = [];

async function call<N extends RequestName>(name: N, params?: ParamsOf<N>): Promise<ResultOf<N>> {
  const reply = await services.dispatcher.dispatch(name, params);
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
  return reply.value as ResultOf<N>;
}

const config = headOnlyConfig({ seed: 3 });

beforeAll(async () => {
  tmp = makeTempDir('graft-runs-api-');
  const photos = path.join(tmp.dir, 'photos');
  const dataset = await writeSeparableDataset(path.join(tmp.dir, 'flat'), { classes: 2, perClass: 12, size: 40 });
  for (const image of dataset.images) {
    const target = path.join(photos, dataset.classes[image.label]!, path.basename(image.path));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(image.path, target);
  }
  services = createAppServices({
    mode: 'serve',
    spawnEngine: forkSpawner(engineEntry, { execArgv: ['--import', 'tsx'], env: { ...process.env, GRAFT_BACKEND: '@tensorflow/tfjs-backend-wasm' } }),
    logError: () => undefined,
  });
  services.ctx.bus.subscribe((m) => events.push(m));
  services.ctx.session.create(path.join(tmp.dir, 'project'));
  const { jobId } = await call('library.import', { folder: photos, labelsFromSubfolders: true });
  await services.ctx.jobs.settled(jobId);
}, 60_000);

afterAll(async () => {
  await services?.dispose();
  tmp?.cleanup();
});

describe('training through the contract', () => {
  it('refuses to train without splits, saying what to do', async () => {
    await expect(call('training.start', { config })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('Assign train/validation/test splits') });
  });

  it('trains as a job, records history and metrics in SQLite, pushes run.metrics, evaluates, renames and deletes', async () => {
    await call('splits.assign', { train: 0.6, validation: 0.2, test: 0.2, seed: 1 });
    const check = await call('training.check');
    expect(check.problems).toEqual([]);
    expect(check.classes.map((c) => [c.name, c.train + c.validation + c.test])).toEqual([
      ['class0', 12],
      ['class1', 12],
    ]);
    expect(await call('training.lastConfig')).toBeNull();
    const { jobId } = await call('training.start', { config, name: 'first' });
    const job = await services.ctx.jobs.settled(jobId);
    expect(job).toMatchObject({ kind: 'train', status: 'succeeded' });
    const runId = (job as Extract<JobInfo, { kind: 'train' }>).result!.id;
    const run = await call('runs.get', { runId });
    expect(run).toMatchObject({ name: 'first', status: 'completed', arch: 'mobilenet_v2', classes: ['class0', 'class1'], hasCheckpoint: true });
    expect(run.history.map((h) => [h.epoch, h.stage])).toEqual([
      [0, 'head'],
      [1, 'head'],
    ]);
    expect(run.batches.length).toBeGreaterThan(0);
    expect(run.evaluations.map((e) => e.split).sort()).toEqual(['test', 'validation']);
    expect(run.splitCounts.train + run.splitCounts.validation + run.splitCounts.test).toBe(24);
    expect(run.runtime).toBe('onnx');
    expect(fs.existsSync(path.join(run.dir, 'checkpoints', 'best', 'model.json'))).toBe(true);
    const pushed = events.filter((m) => m.name === 'run.metrics').map((m) => m.payload as RunMetricsEvent);
    expect(pushed.flatMap((p) => p.epochs).map((e) => e.epoch)).toEqual([0, 1]);
    expect((await call('runs.list'))[0]).toMatchObject({ id: runId, testAcc: expect.any(Number) });

    const evaluation = await call('runs.evaluate', { runId, checkpoint: 'last', split: 'test' });
    const evaluated = await services.ctx.jobs.settled(evaluation.jobId);
    expect(evaluated).toMatchObject({ kind: 'evaluate', status: 'succeeded', result: { split: 'test', checkpoint: 'last' } });
    expect((await call('runs.get', { runId })).evaluations).toHaveLength(3);

    expect(await call('training.lastConfig')).toEqual(config);
    const testEvaluation = run.evaluations.find((e) => e.split === 'test')!;
    const page = await call('runs.predictions', { evaluationId: testEvaluation.id, orderBy: 'loss', limit: 3 });
    expect(page.total).toBe(run.splitCounts.test);
    expect(page.items).toHaveLength(3);
    expect(page.items[0]!.loss).toBeGreaterThanOrEqual(page.items[1]!.loss);
    expect(page.items[0]).toMatchObject({ thumbUrl: expect.stringMatching(/^\/media\/thumb\/\d+\?size=256$/), currentLabel: expect.stringMatching(/^class[01]$/) });
    const wrong = await call('runs.predictions', { evaluationId: testEvaluation.id, misclassified: true });
    expect(wrong.items.every((i) => i.predicted !== i.label)).toBe(true);
    const cam = await call('runs.gradCam', { runId, checkpoint: 'best', imageId: page.items[0]!.imageId });
    expect(cam).toMatchObject({ layer: 'out_relu', heatmap: expect.stringMatching(/^data:image\/png;base64,/) });
    expect(cam.probabilities).toHaveLength(2);
    const preview = await call('training.augmentPreview', {
      imageIds: [page.items[0]!.imageId],
      augment: { horizontalFlip: true, rotationDegrees: 15 },
      seed: 1,
      variants: 3,
      size: 64,
    });
    expect(preview.images[0]!.variants).toHaveLength(3);
    expect(new Set(preview.images[0]!.variants).size).toBe(3);

    // A new run continues from this one's best checkpoint; one from a run that does not exist is refused before anything is recorded.
    const runsBefore = (await call('runs.list')).length;
    await expect(call('training.start', { config: { ...config, startFrom: { kind: 'run', runId: 999, checkpoint: 'best' } } })).rejects.toMatchObject({ code: 'not-found' });
    expect(await call('runs.list')).toHaveLength(runsBefore);
    const continued = await call('training.start', { config: { ...config, epochs: 1, startFrom: { kind: 'run', runId, checkpoint: 'best' } }, name: 'continued' });
    const continuedJob = await services.ctx.jobs.settled(continued.jobId);
    expect(continuedJob).toMatchObject({ status: 'succeeded' });
    const continuedRun = await call('runs.get', { runId: (continuedJob as Extract<JobInfo, { kind: 'train' }>).result!.id });
    expect(continuedRun.config.startFrom).toEqual({ kind: 'run', runId, checkpoint: 'best' });
    expect(continuedRun.history[0]!.loss).toBeLessThan(run.history[0]!.loss);
    await call('runs.delete', { runId: continuedRun.id });

    await expect(call('training.resume', { runId })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('has finished') });
    expect((await call('runs.rename', { runId, name: 'renamed' })).name).toBe('renamed');
    await call('runs.delete', { runId });
    expect(fs.existsSync(run.dir)).toBe(false);
    await expect(call('runs.get', { runId })).rejects.toMatchObject({ code: 'not-found' });
  }, 240_000);
});
