import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PredictFilesResult } from '../../api/types/predict';
import type { PredictionItem } from '../../api/types/runs';
import { parseCsv } from '../../base/csv';
import { jobResult, openAppClient } from '../app-client';
import { importCommand } from '../commands/import';
import { writeDemoImages } from '../demo/demo-images';
import { runCli } from '../run-cli';
import { capture, countingSpawner, labelledProject, tempDir } from '../test-support/cli-fixtures';
import { createPredictCommand } from './predict';
import { createSuggestCommand, type SuggestReport } from './suggest';
import { headOnlyConfig } from '../../api/test-support/training-config';

// graft predict and graft suggest on the real engine (cpu backend), over a tiny run of the
// project's photos and its TF.js and ONNX exports, made through the contract as the app does.

let dir: string;
let cleanup: () => void;
let project: string;
let photos: string;
let inbox: string;
const exports: Partial<Record<'tfjs' | 'onnx' | 'keras' | 'h5', string>> = {};
/** The run's own evaluation of its test split: each image's path and probabilities. */
let evaluated: PredictionItem[] = [];

function verbs() {
  const { spawner } = countingSpawner('cpu');
  return [createPredictCommand(spawner), createSuggestCommand(spawner)];
}

async function predictJson(args: string[]): Promise<{ code: number; result: PredictFilesResult; stderr: string }> {
  const io = capture();
  const code = await runCli(['predict', ...args, '--json'], verbs(), io);
  return { code, result: JSON.parse(io.stdout.join('')) as PredictFilesResult, stderr: io.stderr.join('\n') };
}

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('graft-cli-predict-'));
  project = await labelledProject(dir, { classes: 2, perClass: 10, size: 64 });
  photos = path.join(dir, 'photos');
  inbox = path.join(dir, 'inbox');
  await writeDemoImages(inbox, { classes: 2, perClass: 2, size: 64, seed: 5 });
  const io = capture();
  if ((await runCli(['import', project, inbox], [importCommand], io)) !== 0) throw new Error(io.stderr.join('\n'));
  const client = openAppClient({ spawner: countingSpawner('cpu').spawner(), projectDir: project, io });
  const signal = new AbortController().signal;
  try {
    await client.call('splits.assign', { train: 0.6, validation: 0.2, test: 0.2, seed: 1 });
    const config = headOnlyConfig();
    const trained = jobResult(await client.follow((await client.call('training.start', { config })).jobId, 'train', { signal }))!;
    const detail = await client.call('runs.get', { runId: trained.id });
    const test = detail.evaluations.find((e) => e.split === 'test' && e.checkpoint === 'best')!;
    evaluated = (await client.call('runs.predictions', { evaluationId: test.id, limit: 500 })).items;
    for (const format of ['tfjs', 'onnx', 'keras', 'h5'] as const) {
      const started = await client.call('runs.export', { runId: trained.id, checkpoint: 'best', format });
      exports[format] = jobResult(await client.follow(started.jobId, 'export', { signal }))!.dir;
    }
  } finally {
    await client.dispose();
  }
}, 300_000);
afterAll(() => cleanup());

describe('graft predict', () => {
  it('predicts a folder with a TF.js export, progress on stderr, and writes the CSV', async () => {
    const csv = path.join(dir, 'predictions.csv');
    const io = capture();
    expect(await runCli(['predict', exports.tfjs!, photos, '--top', '1', '--csv', csv], verbs(), io)).toBe(0);
    expect(io.stderr.join('\n')).toMatch(/\d+\/20 images/);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/^Model: .*model\.json \(tfjs\), 2 classes, 32×32 unit preprocessing\nRuntime: ONNX Runtime/);
    expect(text).toMatch(/circles-\d+\.png {2}(circles|squares) \d+\.\d%\n/);
    expect(text).toMatch(/20 of 20 photos predicted in [\d.]+ s \([\d.]+ photos\/s\); CSV: /);
    const rows = parseCsv(fs.readFileSync(csv, 'utf8'));
    expect(rows[0]).toEqual(['path', 'label', 'probability', 'circles', 'squares']);
    expect(rows).toHaveLength(21);
    const right = rows.slice(1).filter((row) => path.basename(path.dirname(row[0]!)) === row[1]).length;
    expect(right).toBeGreaterThanOrEqual(16);
  }, 120_000);

  it('gives the same probabilities from the ONNX, TF.js (on tfjs), .keras and .h5 (on tfjs) exports and the project\'s run', async () => {
    const files = fs.readdirSync(inbox, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort();
    const onnx = await predictJson([path.join(exports.onnx!, 'model.onnx'), ...files]);
    const tfjs = await predictJson([exports.tfjs!, ...files, '--runtime', 'tfjs']);
    const run = await predictJson([project, '--run', '1', ...files, '--top', '2']);
    const keras = await predictJson([path.join(exports.keras!, 'model.keras'), ...files]);
    const h5 = await predictJson([exports.h5!, ...files, '--runtime', 'tfjs']);
    expect([onnx.code, tfjs.code, run.code, keras.code, h5.code]).toEqual([0, 0, 0, 0, 0]);
    expect([keras.result.model.format, h5.result.model.format]).toEqual(['keras', 'h5']);
    expect(onnx.result.model.format).toBe('onnx');
    expect(tfjs.result.runtime).toBe('tfjs');
    expect(run.result.model).toMatchObject({ format: 'checkpoint', classes: ['circles', 'squares'] });
    expect(run.result.results[0]!.top).toHaveLength(2);
    for (const other of [tfjs.result, run.result, keras.result, h5.result]) {
      expect(other.results.map((r) => r.path)).toEqual(files);
      other.results.forEach((row, i) => {
        expect(row.top[0]!.label).toBe(onnx.result.results[i]!.top[0]!.label);
        row.probabilities.forEach((p, c) => expect(Math.abs(p - onnx.result.results[i]!.probabilities[c]!)).toBeLessThanOrEqual(1e-4));
      });
    }
  }, 120_000);

  it("answers the run's test photos as the run's own evaluation did, from every exported format", async () => {
    expect(evaluated.length).toBeGreaterThan(0);
    const files = evaluated.map((e) => e.path);
    for (const [model, runtime] of [[path.join(exports.onnx!, 'model.onnx'), 'onnx'], [exports.tfjs!, 'tfjs'], [path.join(exports.keras!, 'model.keras'), 'tfjs'], [exports.h5!, 'tfjs']] as const) {
      const { code, result } = await predictJson([model, ...files, '--runtime', runtime]);
      expect(code).toBe(0);
      result.results.forEach((row, i) => {
        const own = evaluated[i]!;
        expect(row.path).toBe(own.path);
        expect(result.model.classes.indexOf(row.top[0]!.label), model).toBe(own.predicted);
        row.probabilities.forEach((p, c) => expect(Math.abs(p - own.probabilities[c]!), model).toBeLessThanOrEqual(1e-4));
      });
    }
  }, 120_000);

  it('lists unreadable photos with the reason and exits 1 only when none could be read', async () => {
    const broken = path.join(dir, 'broken.jpg');
    fs.writeFileSync(broken, 'not a photo');
    const some = await predictJson([exports.onnx!, broken, path.join(photos, 'circles', fs.readdirSync(path.join(photos, 'circles'))[0]!)]);
    expect(some.code).toBe(0);
    expect(some.result.unreadable).toEqual([{ path: broken, reason: expect.stringContaining('not an image') }]);
    expect(some.result.results).toHaveLength(1);
    const none = await predictJson([exports.onnx!, broken]);
    expect(none.code).toBe(1);
  }, 60_000);

  it('runs a bare model given its labels and preprocessing, and says what it needs when they are missing', async () => {
    const bare = path.join(dir, 'bare');
    fs.mkdirSync(bare);
    fs.copyFileSync(path.join(exports.onnx!, 'model.onnx'), path.join(bare, 'classifier.onnx'));
    fs.writeFileSync(path.join(dir, 'names.txt'), 'round\nboxy\n');
    const image = path.join(photos, 'squares', fs.readdirSync(path.join(photos, 'squares'))[0]!);
    const io = capture();
    expect(await runCli(['predict', path.join(bare, 'classifier.onnx'), image], verbs(), io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/no preprocessing\.json beside it.*--preprocessing/);
    const given = await predictJson([path.join(bare, 'classifier.onnx'), image, '--labels', path.join(dir, 'names.txt'), '--preprocessing', 'unit']);
    expect(given.code).toBe(0);
    expect(given.result.model.classes).toEqual(['round', 'boxy']);
    const exported = await predictJson([exports.onnx!, image]);
    given.result.results[0]!.probabilities.forEach((p, c) => expect(p).toBeCloseTo(exported.result.results[0]!.probabilities[c]!, 6));
  }, 60_000);

  it.skipIf(process.platform === 'win32')('refuses a --labels or --preprocessing that is a pipe or a device at once, naming the option', async () => {
    const fifo = path.join(dir, 'labels-pipe.txt');
    execFileSync('mkfifo', [fifo]);
    const image = path.join(photos, 'squares', fs.readdirSync(path.join(photos, 'squares'))[0]!);
    const io = capture();
    expect(await runCli(['predict', exports.onnx!, image, '--labels', fifo], verbs(), io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/--labels .*labels-pipe\.txt cannot be read: .*named pipe/);
    const zero = capture();
    expect(await runCli(['predict', exports.onnx!, image, '--preprocessing', '/dev/zero'], verbs(), zero)).toBe(2);
    expect(zero.stderr.join('\n')).toMatch(/--preprocessing \/dev\/zero cannot be read: .*device/);
  }, 10_000);

  it('refuses a project without --run, and a model file with --run', async () => {
    const io = capture();
    expect(await runCli(['predict', project, photos], verbs(), io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/is a project: say which run predicts with --run ID/);
    const other = capture();
    expect(await runCli(['predict', exports.tfjs!, photos, '--run', '1'], verbs(), other)).toBe(2);
    expect(other.stderr.join('\n')).toMatch(/not a project folder/);
  }, 60_000);

  it('stops when cancelled (Ctrl+C) and writes no CSV', async () => {
    const controller = new AbortController();
    controller.abort();
    const csv = path.join(dir, 'cancelled.csv');
    const io = capture();
    expect(await runCli(['predict', exports.onnx!, photos, '--csv', csv], verbs(), io, controller.signal)).toBe(130);
    expect(fs.existsSync(csv)).toBe(false);
  }, 60_000);
});

describe('graft suggest', () => {
  it('pre-labels the project\'s unlabelled photos with the latest run', async () => {
    const io = capture();
    expect(await runCli(['suggest', project, '--json'], verbs(), io)).toBe(0);
    const report = JSON.parse(io.stdout.join('')) as SuggestReport;
    expect(report).toMatchObject({ source: { kind: 'run', runId: 1, checkpoint: 'best' }, images: 4, suggested: 4, summary: { pending: 4, rejected: 0 } });
    const text = capture();
    expect(await runCli(['suggest', project, '--run', '1', '--checkpoint', 'last'], verbs(), text)).toBe(0);
    expect(text.stdout.join('\n')).toMatch(/^Suggested labels for 4 of 4 photos with Run 1 · mobilenet_v2 \(last checkpoint\) in [\d.]+ s on ONNX Runtime:\n( {2}(circles|squares): \d\n)+4 suggestions wait in the Label view\.$/);
  }, 120_000);
});
