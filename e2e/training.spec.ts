import { expect, test, type Page } from '@playwright/test';
import type { JobInfoOf } from '../src-main/api/types/jobs';
import type { RunMetricsEvent, TrainingConfig } from '../src-main/api/types/runs';
import { serveNewProject, type ServedProject } from './support/graft-serve';
import { generateHuePhotos, generateSeparablePhotos } from './support/separable-photos';
import { removeTempDirs } from './support/temp-dirs';
import { connectClient, type ContractClient } from './support/ws-client';
import { headOnlyConfig } from '../src-main/api/test-support/training-config';

const CLASSES = ['warm', 'cool'];

/** Bundled MobileNetV2 at 96 px, head only, three epochs: seconds on wasm (the train wizard's e2e fine-tunes a block). */
const config = headOnlyConfig({
  base: { arch: 'mobilenet_v2', weights: 'bundled', inputSize: 96 },
  head: { pooling: 'avg', layers: [{ units: 64, dropout: 0.2 }] },
  optimizer: { name: 'adam', learningRate: 0.003 },
  schedule: { kind: 'cosine' },
  epochs: 3,
  batchSize: 2,
  seed: 5,
});

let served: ServedProject;
let client: ContractClient;
test.beforeAll(async () => {
  const photos = await generateSeparablePhotos(CLASSES, 24);
  served = await serveNewProject();
  client = await connectClient(served);
  const { jobId } = await client.call('library.import', { folder: photos, labelsFromSubfolders: true, thumbnails: true });
  expect((await client.settled(jobId)).status).toBe('succeeded');
  await client.call('splits.assign', { train: 0.6, validation: 0.2, test: 0.2, seed: 1 });
});
test.afterAll(async () => {
  client?.close();
  await served?.stop();
  removeTempDirs();
});

/** How many x values a chart of the live view draws (LineChart writes it on each redraw). */
const points = (page: Page, chart: string) => page.getByTestId(`chart-${chart}`).getByTestId('chart-plot').getAttribute('data-points').then(Number);

test('a training run: live epoch points, a reload mid-run redraws its history and follows on, then its evaluation, a relabel from the gallery and Grad-CAM', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1024, height: 700 });

  // Start a run through the contract, and pause it as soon as its first epoch is recorded.
  const metrics: RunMetricsEvent[] = [];
  let pausing: Promise<unknown> | null = null;
  let trainJob = '';
  await client.on('run.metrics', (event) => {
    metrics.push(event);
    if (!pausing && event.epochs.length > 0) pausing = client.call('jobs.pause', { jobId: trainJob });
  });
  trainJob = (await client.call('training.start', { config, name: 'e2e run' })).jobId;
  await expect.poll(() => (pausing ? 'asked' : 'waiting'), { timeout: 90_000 }).toBe('asked');
  await pausing;
  const paused = (await client.call('jobs.get', { jobId: trainJob })) as JobInfoOf<'train'>;
  expect(paused.status).toBe('paused');
  const runId = paused.progress!.runId;

  // The Evaluate view shows a training run live.
  await page.goto(`${served.url}#/evaluate?run=${runId}`);
  const live = page.getByTestId('train-live');
  await expect(live.getByTestId('train-state')).toHaveText('Paused');
  await expect.poll(() => points(page, 'epoch-loss')).toBeGreaterThanOrEqual(1);
  const before = await points(page, 'epoch-loss');
  expect(before).toBeLessThan(3);
  await expect.poll(() => points(page, 'batch')).toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/training-live-paused-1024.png' });

  // Reload mid-run: the stored history is drawn again, once.
  await page.reload();
  await expect(live.getByTestId('train-state')).toHaveText('Paused');
  await expect.poll(() => points(page, 'epoch-loss')).toBe(before);
  const stored = await client.call('runs.get', { runId });
  await expect.poll(() => points(page, 'batch')).toBe(stored.batches.length);
  await page.screenshot({ path: 'test-results/training-reloaded-1024.png' });

  // The wizard's Train step follows the newest training job (TrainLive without a run id): resume from there.
  await page.goto(`${served.url}#/train?step=train`);
  await expect(live.getByTestId('train-state')).toHaveText('Paused');
  await expect(live).toHaveAttribute('data-run-id', String(runId));
  await expect.poll(() => points(page, 'epoch-loss')).toBe(before);
  await page.screenshot({ path: 'test-results/train-step-paused-1024.png' });
  await live.getByTestId('train-pause').click();
  await expect(live.getByTestId('train-state')).not.toHaveText('Paused');
  await expect.poll(() => points(page, 'epoch-loss'), { timeout: 90_000 }).toBe(3);
  const finished = await client.settled(trainJob, 90_000);
  expect(finished.status).toBe('succeeded');
  await expect(live.getByTestId('train-state')).toHaveText('Completed');
  await page.screenshot({ path: 'test-results/train-step-completed-1024.png' });
  const run = await client.call('runs.get', { runId });
  expect(run.history.map((h) => [h.epoch, h.stage])).toEqual([
    [0, 'head'],
    [1, 'head'],
    [2, 'head'],
  ]);
  // Every pushed epoch arrived once, in order, and the charts hold no doubles.
  expect(metrics.flatMap((m) => m.epochs.map((e) => e.epoch))).toEqual([0, 1, 2]);
  await expect.poll(() => points(page, 'batch')).toBe(run.batches.length);

  await page.goto(`${served.url}#/evaluate?run=${runId}`);
  // The finished run shows its evaluation: accuracy, confusion matrix.
  const evaluation = page.getByTestId('run-evaluation');
  await expect(evaluation.getByTestId('confusion-matrix')).toBeVisible({ timeout: 30_000 });
  await expect(evaluation.getByTestId('evaluation-accuracy')).toHaveText(/%$/);
  await page.screenshot({ path: 'test-results/evaluation-1024.png', fullPage: true });

  // A matrix cell opens its images in the gallery.
  await evaluation.getByTestId('confusion-cell-0-0').click();
  await expect(evaluation.getByTestId('gallery-filter')).toContainText(`${run.classes[0]} predicted right`);
  await expect(evaluation.getByTestId('gallery-item').first()).toBeVisible();
  await expect(evaluation.getByTestId('gallery-true').first()).toHaveText(run.classes[0]!);

  // Highest loss first; relabel the first image with one key, and see it in the library.
  await evaluation.getByTestId('gallery-tab-loss').click();
  const first = evaluation.getByTestId('gallery-item').first();
  await first.click();
  const imageId = Number(await first.getAttribute('data-image-id'));
  const trueClass = await first.getByTestId('gallery-true').innerText();
  const other = run.classes.find((c) => c !== trueClass)!;
  await page.keyboard.press(String(run.classes.indexOf(other) + 1));
  await expect(evaluation.getByTestId('relabel-message')).toContainText(`as ${other}.`);
  await expect(evaluation.locator(`[data-image-id="${imageId}"]`).getByTestId('gallery-now')).toHaveText(`now ${other}`);
  const classId = (await client.call('classes.list')).find((c) => c.name === other)!.id;
  expect((await client.call('library.ids', { classId })).includes(imageId)).toBe(true);
  await expect(evaluation.getByTestId('relabel-undo')).toBeVisible();

  // Grad-CAM of the selected image, over the photo.
  await first.click();
  const overlay = evaluation.getByTestId('grad-cam-overlay');
  await expect(overlay).toBeVisible({ timeout: 30_000 });
  expect(await overlay.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
  await evaluation.getByTestId('grad-cam').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/evaluation-gallery-1024.png' });

  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.getByTestId('evaluate-run').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/evaluation-1920.png' });
  await page.getByText('Training curves').click();
  await expect.poll(() => points(page, 'epoch-acc')).toBe(3);
  await page.getByTestId('chart-epoch-acc').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/evaluation-curves-1920.png' });
});

/** Twelve classes named after their hue, 30° apart around the colour circle. */
const HUES = ['red', 'orange', 'yellow', 'chartreuse', 'green', 'spring green', 'cyan', 'azure', 'ultramarine', 'violet', 'magenta', 'rose'];

test('twelve classes: the confusion matrix reads at 1024×700 and 1920×1080, a cell opens its images; two runs compared', async ({ page }) => {
  test.setTimeout(180_000);
  const photos = await generateHuePhotos(HUES, 20);
  const other = await serveNewProject();
  const api = await connectClient(other);
  try {
    const imported = await api.call('library.import', { folder: photos, labelsFromSubfolders: true, thumbnails: true });
    expect((await api.settled(imported.jobId)).status).toBe('succeeded');
    await api.call('splits.assign', { train: 0.6, validation: 0.2, test: 0.2, seed: 2 });
    const small = { ...config, base: { ...config.base, inputSize: 64 }, head: { pooling: 'avg' as const, layers: [] }, batchSize: 8, schedule: { kind: 'constant' as const } };
    const train = async (name: string, patch: Partial<TrainingConfig>) => {
      const { jobId } = await api.call('training.start', { config: { ...small, ...patch }, name });
      const job = (await api.settled(jobId, 120_000)) as JobInfoOf<'train'>;
      expect(job.status).toBe('succeeded');
      return job.result!.id;
    };
    const a = await train('fast learner', { epochs: 2, optimizer: { name: 'adam', learningRate: 0.01 } });
    const b = await train('slow learner', { epochs: 3, optimizer: { name: 'adam', learningRate: 0.001 }, labelSmoothing: 0.1 });

    await page.setViewportSize({ width: 1024, height: 700 });
    await page.goto(`${other.url}#/evaluate?run=${a}`);
    const matrix = page.getByTestId('confusion-matrix');
    await expect(matrix).toBeVisible({ timeout: 30_000 });
    await expect(matrix.locator('tbody tr')).toHaveCount(12);
    await matrix.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/confusion-12-classes-1024.png' });
    // Every cell is at least a comfortable target, and the matrix fits the panel without a scrollbar.
    const cell = await matrix.getByTestId('confusion-cell-0-0').boundingBox();
    expect(cell!.width).toBeGreaterThanOrEqual(28);
    expect(cell!.height).toBeGreaterThanOrEqual(28);

    // A cell off the diagonal (a confusion), when the run made one, opens exactly its images.
    const detail = await api.call('runs.get', { runId: a });
    const report = detail.evaluations.find((e) => e.split === 'test')!.report;
    const confusion = report.confusion.flatMap((row, r) => row.map((n, c) => ({ r, c, n }))).find((x) => x.r !== x.c && x.n > 0);
    const target = confusion ?? { r: 0, c: 0, n: report.confusion[0]![0]! };
    await matrix.getByTestId(`confusion-cell-${target.r}-${target.c}`).click();
    await expect(page.getByTestId('gallery-item')).toHaveCount(target.n);
    await expect(page.getByTestId('gallery-true').first()).toHaveText(detail.classes[target.r]!);
    await page.screenshot({ path: 'test-results/confusion-12-classes-cell-1024.png' });

    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.getByTestId('evaluate-run').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/confusion-12-classes-1920.png' });

    // Two runs: curves overlaid, the settings that differ side by side.
    await page.goto(`${other.url}#/evaluate?compare=${a},${b}`);
    const comparison = page.getByTestId('run-comparison');
    await expect(comparison.getByTestId('config-diff')).toBeVisible();
    await expect(comparison.getByTestId('diff-optimizer.learningRate')).toContainText('0.01');
    await expect(comparison.getByTestId('diff-labelSmoothing')).toContainText('0.1');
    await expect.poll(() => comparison.getByTestId('compare-accuracy').getByTestId('chart-plot').getAttribute('data-points').then(Number)).toBe(3);
    await page.screenshot({ path: 'test-results/compare-1920.png' });
    await page.setViewportSize({ width: 1024, height: 700 });
    await comparison.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/compare-1024.png' });
    // The charts follow the dark theme (their canvas is built again with its colours).
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: 'test-results/compare-dark-1024.png' });
    await page.goto(`${other.url}#/evaluate?run=${b}`);
    await expect(page.getByTestId('confusion-matrix')).toBeVisible();
    await page.getByText('Training curves').click();
    await page.getByTestId('chart-epoch-acc').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/evaluation-dark-1024.png' });
  } finally {
    api.close();
    await other.stop();
  }
});
