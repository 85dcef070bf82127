import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { ExportResult } from '../src-main/api/types/export';
import type { JobInfoOf } from '../src-main/api/types/jobs';
import type { PredictFilesResult } from '../src-main/api/types/predict';
import type { PredictionItem } from '../src-main/api/types/runs';
import { graft, serveNewProject, type ServedProject } from './support/graft-serve';
import { generateSeparablePhotos } from './support/separable-photos';
import { makeTempDir, removeTempDirs } from './support/temp-dirs';
import { connectClient, type ContractClient } from './support/ws-client';
import { headOnlyConfig } from '../src-main/api/test-support/training-config';

const CLASSES = ['warm', 'cool'];

/** Bundled MobileNetV2 at 96 px, the head only (a small hidden layer), two epochs: seconds on wasm. */
const config = headOnlyConfig({
  base: { arch: 'mobilenet_v2', weights: 'bundled', inputSize: 96 },
  head: { pooling: 'avg', layers: [{ units: 16, dropout: 0.1 }] },
  optimizer: { name: 'adam', learningRate: 0.003 },
  batchSize: 4,
  seed: 3,
});

/**
 * How far a probability of the exported model, run by `graft predict`, may be from the run's
 * own (stored by its evaluation after training): the ONNX parity bound. Measured here: 0 (both
 * ran on ONNX Runtime); the export's parity check put TensorFlow.js and ONNX Runtime ~2e-6 apart.
 */
const PROBABILITY_TOLERANCE = 1e-4;

let served: ServedProject;
let client: ContractClient;
let runId = 0;
/** The run's own predictions on its test images, by path. */
let runPredictions: Map<string, PredictionItem>;
/** The run's classes, in its output order. */
let classes: string[] = [];

test.beforeAll(async () => {
  test.setTimeout(240_000);
  const photos = await generateSeparablePhotos(CLASSES, 15);
  served = await serveNewProject();
  client = await connectClient(served);
  const imported = await client.call('library.import', { folder: photos, labelsFromSubfolders: true, thumbnails: true });
  expect((await client.settled(imported.jobId)).status).toBe('succeeded');
  await client.call('splits.assign', { train: 0.6, validation: 0.2, test: 0.2, seed: 1 });
  const { jobId } = await client.call('training.start', { config, name: 'warm or cool' });
  const trained = (await client.settled(jobId, 180_000)) as JobInfoOf<'train'>;
  expect(trained.status, trained.error?.message).toBe('succeeded');
  runId = trained.result!.id;
  const run = await client.call('runs.get', { runId });
  classes = run.classes;
  expect([...classes].sort()).toEqual([...CLASSES].sort());
  const testEvaluation = run.evaluations.find((e) => e.split === 'test')!;
  const page = await client.call('runs.predictions', { evaluationId: testEvaluation.id, limit: 100 });
  runPredictions = new Map(page.items.map((item) => [item.path, item]));
  expect(runPredictions.size).toBe(6);
});
test.afterAll(async () => {
  client?.close();
  await served?.stop();
  removeTempDirs();
});

/** Chooses a format on the Export page, exports, and waits for the outcome. */
async function exportAs(page: Page, format: 'tfjs' | 'onnx'): Promise<void> {
  await page.getByTestId(`export-format-${format}`).click();
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('export-outcome')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('export-parity')).toContainText('Parity passed');
}

/** Downloads the export's zip through the page's link and unzips it with Python's zipfile; returns the export's folder. */
async function downloadAndUnzip(page: Page, folder: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
  expect(download.suggestedFilename()).toBe(`${folder}.zip`);
  const target = makeTempDir('graft-e2e-download-');
  const zip = path.join(target, download.suggestedFilename());
  await download.saveAs(zip);
  const unzipped = spawnSync('python3', ['-m', 'zipfile', '-e', zip, target], { encoding: 'utf8' });
  expect(unzipped.status, unzipped.stderr).toBe(0);
  return path.join(target, folder);
}

/** `graft predict` with an exported model on the run's test images; each photo's class and probabilities against the run's own. */
function predictMatchesRun(model: string): { maxDiff: number; runtime: string } {
  const images = [...runPredictions.keys()];
  const result = JSON.parse(graft('predict', model, ...images, '--json')) as PredictFilesResult;
  expect(result.unreadable).toEqual([]);
  expect(result.model.classes).toEqual(classes);
  expect(result.results.map((r) => r.path).sort()).toEqual([...images].sort());
  let maxDiff = 0;
  for (const row of result.results) {
    const own = runPredictions.get(row.path)!;
    expect(row.top[0]!.classIndex, row.path).toBe(own.predicted);
    expect(row.top[0]!.label).toBe(classes[own.predicted]);
    row.probabilities.forEach((p, i) => (maxDiff = Math.max(maxDiff, Math.abs(p - own.probabilities[i]!))));
  }
  expect(maxDiff).toBeLessThanOrEqual(PROBABILITY_TOLERANCE);
  return { maxDiff, runtime: `${result.runtime} (${result.runtimeDetails})` };
}

test('export from the Export page as TF.js and ONNX, download the zips, and predict with them through the CLI as the run did', async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(`${served.url}#/export?run=${runId}`);
  await expect(page.getByTestId('export-run')).toHaveValue(String(runId));
  await expect(page.getByTestId('export-checkpoint-best')).toBeChecked();
  await expect(page.getByTestId('export-start')).toBeEnabled();
  await page.screenshot({ path: 'test-results/export-page-light-1024.png' });

  // TF.js: the page runs the export, shows its files and its parity figure, and offers the zip.
  await exportAs(page, 'tfjs');
  const outcome = page.getByTestId('export-outcome');
  await expect(outcome).toContainText('Exported TensorFlow.js');
  await expect(page.getByTestId('export-files')).toContainText('model.json');
  await expect(page.getByTestId('export-files')).toContainText('weights.bin');
  const tfjsFolder = 'warm-or-cool-tfjs';
  await expect(page.getByTestId('export-download')).toHaveAttribute('href', `/download/export/${tfjsFolder}.zip`);
  await page.getByTestId('export-outcome').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/export-done-light-1024.png' });
  const tfjs = await downloadAndUnzip(page, tfjsFolder);
  expect(fs.readdirSync(tfjs).sort()).toEqual(['README.md', 'graft-export.json', 'labels.json', 'model.json', 'preprocessing.json', 'report.html', 'weights.bin']);
  expect(JSON.parse(fs.readFileSync(path.join(tfjs, 'labels.json'), 'utf8'))).toEqual({ classes });

  // ONNX, in the dark theme.
  await page.emulateMedia({ colorScheme: 'dark' });
  await exportAs(page, 'onnx');
  await expect(outcome).toContainText('Exported ONNX');
  await expect(page.getByTestId('export-parity')).toContainText(/max \|Δ\| \d\.\d\de[-+]\d+ ≤ 1e-4 on 6 held-out images, read back with ONNX Runtime/);
  await page.getByTestId('export-outcome').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/export-done-dark-1024.png' });
  await page.locator('.content').evaluate((el) => el.scrollTo(0, 0));
  await page.screenshot({ path: 'test-results/export-page-dark-1024.png' });
  const onnx = await downloadAndUnzip(page, 'warm-or-cool-onnx');
  expect(fs.existsSync(path.join(onnx, 'model.onnx'))).toBe(true);

  // A reload finds the last export again (the jobs outlive the page), and the wizard's last step shows the same panel on the run.
  await page.reload();
  await expect(page.getByTestId('export-outcome')).toContainText('Exported ONNX');
  await expect(page.getByTestId('export-download')).toHaveAttribute('href', '/download/export/warm-or-cool-onnx.zip');
  await page.goto(`${served.url}#/train?step=export`);
  const handover = page.getByTestId('export-handover');
  await expect(handover.getByTestId('export-run')).toHaveValue(String(runId));
  await expect(handover.getByTestId('export-outcome')).toContainText('Exported ONNX');

  // What the job said is what the page showed.
  const jobs = (await client.call('jobs.list')).filter((j) => j.kind === 'export') as JobInfoOf<'export'>[];
  const results = jobs.map((j) => j.result as ExportResult);
  for (const result of results) console.info(`export ${result.format}: parity max |Δ| ${result.parity!.maxAbsDiff.toExponential(2)} (bound ${result.parity!.bound}) on ${result.parity!.images} images`);

  // The exported files, run by graft predict, answer as the run did on its test images.
  for (const [name, model] of [['tfjs', tfjs], ['onnx', path.join(onnx, 'model.onnx')]] as const) {
    const { maxDiff, runtime } = predictMatchesRun(model);
    console.info(`graft predict with the ${name} export on ${runtime}: same classes as the run, max |Δp| ${maxDiff.toExponential(2)} against its stored test predictions`);
  }
});
