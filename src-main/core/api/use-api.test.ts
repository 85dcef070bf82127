import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParamsOf, RequestName, ResultOf } from '../../api/contract';
import type { JobInfo, JobInfoOf, JobKind } from '../../api/types/jobs';
import { parseCsv } from '../../base/csv';
import { forkSpawner } from '../../engine/host/engine-process';
import { writeSeparableDataset } from '../../engine/training/test-support/separable-images';
import { createAppServices, type AppServices } from '../app-services';
import { makeTempDir, type TempDir } from '../library/library-fixtures';
import { headOnlyConfig } from '../../api/test-support/training-config';

const engineEntry = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'engine', 'worker', 'engine-main.ts');

let tmp: TempDir;
let services: AppServices;
let runId: number;
/** The unlabelled photos (the inbox) with the class each was drawn from. */
const truth = new Map<string, string>();

async function call<N extends RequestName>(name: N, params?: ParamsOf<N>): Promise<ResultOf<N>> {
  const reply = await services.dispatcher.dispatch(name, params);
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
  return reply.value as ResultOf<N>;
}

async function settled<K extends JobKind>(started: { jobId: string }, kind: K): Promise<JobInfoOf<K>> {
  const job = (await services.ctx.jobs.settled(started.jobId)) as JobInfo;
  expect(job.kind).toBe(kind);
  expect(job.error).toBeNull();
  return job as JobInfoOf<K>;
}

const config = headOnlyConfig({ optimizer: { name: 'adam', learningRate: 0.05 }, epochs: 10, seed: 3 });

const unlabelledIds = async () => call('library.ids', { unlabelled: true });

beforeAll(async () => {
  tmp = makeTempDir('graft-use-api-');
  const photos = path.join(tmp.dir, 'photos');
  const dataset = await writeSeparableDataset(path.join(tmp.dir, 'flat'), { classes: 2, perClass: 12, size: 40 });
  for (const image of dataset.images) {
    const target = path.join(photos, dataset.classes[image.label]!, path.basename(image.path));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(image.path, target);
  }
  const fresh = await writeSeparableDataset(path.join(tmp.dir, 'fresh'), { classes: 2, perClass: 3, size: 40, seed: 99 });
  const inbox = path.join(tmp.dir, 'inbox');
  fs.mkdirSync(inbox);
  for (const image of fresh.images) {
    const target = path.join(inbox, `new-${path.basename(image.path)}`);
    fs.copyFileSync(image.path, target);
    truth.set(target, fresh.classes[image.label]!);
  }
  services = createAppServices({
    mode: 'serve',
    spawnEngine: forkSpawner(engineEntry, { execArgv: ['--import', 'tsx'], env: { ...process.env, GRAFT_BACKEND: '@tensorflow/tfjs-backend-wasm' } }),
    logError: () => undefined,
  });
  services.ctx.session.create(path.join(tmp.dir, 'project'));
  await settled(await call('library.import', { folder: photos, labelsFromSubfolders: true }), 'import');
  await settled(await call('library.import', { folder: inbox }), 'import');
  await call('splits.assign', { train: 0.6, validation: 0.2, test: 0.2, seed: 1 });
  runId = (await settled(await call('training.start', { config, name: 'first' }), 'train')).result!.id;
}, 240_000);

afterAll(async () => {
  await services?.dispose();
  tmp?.cleanup();
});

describe('pre-labelling through the contract', () => {
  it('suggests a class for every unlabelled image with the latest run, least certain first in the Label view', async () => {
    await expect(call('suggestions.accept', { imageIds: [1] })).resolves.toMatchObject({ accepted: 0, skipped: 1 });
    const job = await settled(await call('suggestions.run', {}), 'suggest');
    expect(job.result).toMatchObject({ source: { kind: 'run', runId, runName: 'first', checkpoint: 'best' }, images: 6, suggested: 6, unreadable: [], runtime: 'onnx' });
    expect(job.progress).toMatchObject({ phase: 'images', done: 6, total: 6 });
    const summary = await call('suggestions.summary');
    expect(summary.pending).toBe(6);
    const page = await call('library.list', { orderBy: 'uncertainty' });
    expect(page.total).toBe(6);
    const margins = page.items.map((i) => i.model!.score);
    expect(margins).toEqual([...margins].sort((a, b) => a - b));
    const suggestions = await call('suggestions.list', { imageIds: page.items.map((i) => i.id) });
    expect(suggestions.map((s) => s.imageId)).toEqual(page.items.map((i) => i.id));
    suggestions.forEach((s, i) => {
      expect(s.margin).toBeCloseTo(margins[i]!, 6);
      expect(s.classId).not.toBeNull();
    });
    const right = page.items.filter((item, i) => truth.get(item.path) === suggestions[i]!.className).length;
    expect(right).toBeGreaterThanOrEqual(5);
  }, 120_000);

  it('accepts two suggestions as labels (one undo step), rejects one, and accepts the rest above a confidence after a preview', async () => {
    const ids = await unlabelledIds();
    const [a, b, c] = ids as [number, number, number];
    const before = await call('suggestions.list', { imageIds: [a, b] });
    const accepted = await call('suggestions.accept', { imageIds: [a, b] });
    expect(accepted).toMatchObject({ accepted: 2, skipped: 0, undo: { undoSummary: 'accept 2 suggestions' } });
    const labelled = (await call('library.list', { limit: 100 })).items.filter((i) => i.id === a || i.id === b);
    expect(labelled.map((i) => i.classId).sort()).toEqual(before.map((s) => s.classId).sort());
    expect(await call('labels.undo')).toMatchObject({ imagesChanged: 2 });
    expect(await unlabelledIds()).toHaveLength(6);

    expect(await call('suggestions.reject', { imageIds: [c] })).toEqual({ rejected: 1 });
    const preview = await call('suggestions.acceptAbove', { threshold: 0, dryRun: true });
    expect(preview.total).toBe(5);
    expect(preview.perClass.reduce((n, p) => n + p.count, 0)).toBe(5);
    expect(await unlabelledIds()).toHaveLength(6);
    const done = await call('suggestions.acceptAbove', { threshold: 0 });
    expect(done.accepted).toMatchObject({ accepted: 5, skipped: 0 });
    expect(await unlabelledIds()).toEqual([c]);
    await call('labels.undo');
    expect(await unlabelledIds()).toHaveLength(6);
  }, 60_000);

  it('finds a label the model strongly disagrees with once labelled images are scored too', async () => {
    const classes = await call('classes.list');
    const class0 = classes.find((k) => k.name === 'class0')!;
    const class1 = classes.find((k) => k.name === 'class1')!;
    // Score the labelled images too, and mislabel the class0 image the model is surest of.
    await settled(await call('suggestions.run', { scope: 'all' }), 'suggest');
    const scored = await call('suggestions.list', { imageIds: await call('library.ids', { classId: class0.id }) });
    const victim = scored.filter((s) => s.className === 'class0').sort((a, b) => b.probability - a.probability)[0]!.imageId;
    expect((await call('library.list', { likelyErrors: true })).items.map((i) => i.id)).not.toContain(victim);
    await call('labels.assign', { imageIds: [victim], classId: class1.id });
    await settled(await call('suggestions.run', { scope: 'all', runId, checkpoint: 'best' }), 'suggest');
    const errors = await call('library.list', { likelyErrors: true });
    expect(errors.items.map((i) => i.id)).toContain(victim);
    expect(errors.items.find((i) => i.id === victim)!.model).toMatchObject({ className: 'class0', score: expect.any(Number) });
    expect(errors.items.find((i) => i.id === victim)!.model!.score).toBeGreaterThan(-Math.log(0.2));
    await call('labels.undo');
    expect((await call('library.list', { likelyErrors: true })).items.map((i) => i.id)).not.toContain(victim);
  }, 120_000);
});

describe('predicting files and re-opening exports', () => {
  let exportDir: string;

  it('predicts a folder with the run\'s checkpoint and writes the CSV', async () => {
    const csvPath = path.join(tmp.dir, 'out', 'predictions.csv');
    const job = await settled(await call('predict.files', { paths: [path.join(tmp.dir, 'inbox')], model: { runId }, top: 1, csvPath }), 'predict');
    expect(job.result).toMatchObject({ images: 6, csvPath, unreadable: [], model: { format: 'checkpoint', classes: ['class0', 'class1'] } });
    const rows = parseCsv(fs.readFileSync(csvPath, 'utf8'));
    expect(rows[0]).toEqual(['path', 'label', 'probability', 'class0', 'class1']);
    expect(rows).toHaveLength(7);
    for (const row of rows.slice(1)) {
      const p = [Number(row[3]), Number(row[4])];
      expect(p[0]! + p[1]!).toBeCloseTo(1, 5);
      expect(Number(row[2])).toBe(Math.max(...p));
      expect(row[1]).toBe(p[0]! >= p[1]! ? 'class0' : 'class1');
    }
    // An unrelated file is never overwritten.
    const foreign = path.join(tmp.dir, 'notes.csv');
    fs.writeFileSync(foreign, 'a,b\n1,2\n');
    await expect(call('predict.files', { paths: [tmp.dir], model: { runId }, csvPath: foreign })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('not a Graft predictions CSV') });
  }, 120_000);

  it('predicts a photo dropped into the browser page, uploaded first', async () => {
    const [file] = [...truth.keys()];
    const { path: uploaded } = await call('predict.upload', { fileName: `dropped/../${path.basename(file!)}`, data: fs.readFileSync(file!).toString('base64') });
    expect(path.basename(uploaded)).toBe(path.basename(file!));
    expect(fs.readFileSync(uploaded)).toEqual(fs.readFileSync(file!));
    const job = await settled(await call('predict.files', { paths: [uploaded, file!], model: { runId } }), 'predict');
    const [fromUpload, fromOriginal] = job.result!.results;
    expect([fromUpload!.path, fromOriginal!.path]).toEqual([uploaded, file]);
    expect(fromUpload!.probabilities).toEqual(fromOriginal!.probabilities);
    await expect(call('predict.upload', { fileName: '..', data: 'AAAA' })).rejects.toMatchObject({ code: 'bad-request' });
  }, 60_000);

  it('imports the run\'s TF.js export, refuses one whose classes differ unless mapped, and pre-labels with it', async () => {
    exportDir = (await settled(await call('runs.export', { runId, checkpoint: 'best', format: 'tfjs' }), 'export')).result!.dir;
    const model = await call('models.import', { path: exportDir, name: 'exported' });
    expect(model).toMatchObject({ name: 'exported', format: 'tfjs', copied: true, classes: ['class0', 'class1'], classMap: { class0: 'class0', class1: 'class1' }, assumptions: [] });
    expect(model.path.startsWith(path.join(tmp.dir, 'project', 'models'))).toBe(true);

    const renamed = path.join(tmp.dir, 'renamed-export');
    fs.cpSync(exportDir, renamed, { recursive: true });
    fs.writeFileSync(path.join(renamed, 'labels.json'), JSON.stringify({ classes: ['fox', 'class1'] }));
    await expect(call('models.import', { path: renamed })).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringContaining('the model has "fox", which the project lacks; the project has "class0", which the model lacks'),
    });
    const mapped = await call('models.import', { path: renamed, mapClasses: { fox: 'class0' } });
    expect(mapped.classMap).toEqual({ fox: 'class0', class1: 'class1' });
    expect((await call('models.imported')).map((m) => m.id)).toEqual([mapped.id, model.id]);

    const job = await settled(await call('suggestions.run', { modelId: mapped.id }), 'suggest');
    expect(job.result).toMatchObject({ source: { kind: 'model', modelId: mapped.id }, suggested: 6 });
    expect(Object.keys(job.result!.perClass).every((c) => c === 'class0' || c === 'class1')).toBe(true);
    const byRun = await settled(await call('predict.files', { paths: [...truth.keys()], model: { runId }, top: 2 }), 'predict');
    const byModel = await settled(await call('predict.files', { paths: [...truth.keys()], model: { modelId: mapped.id }, top: 2 }), 'predict');
    const byPath = await settled(await call('predict.files', { paths: [...truth.keys()], model: { modelPath: exportDir }, top: 2 }), 'predict');
    byRun.result!.results.forEach((row, i) => {
      row.probabilities.forEach((p, c) => {
        expect(Math.abs(p - byModel.result!.results[i]!.probabilities[c]!)).toBeLessThanOrEqual(1e-4);
        expect(Math.abs(p - byPath.result!.results[i]!.probabilities[c]!)).toBeLessThanOrEqual(1e-4);
      });
    });
    expect(byModel.result!.results[0]!.top.map((t) => t.label).sort()).toEqual(['class1', 'fox']);

    await call('models.removeImported', { modelId: mapped.id });
    // The labelled images the run scored keep their suggestions; the imported model's are gone.
    expect((await call('suggestions.summary')).source).toMatchObject({ kind: 'run', runId });
  }, 240_000);
});
